"""Industry codes of 国民经济行业分类 GB/T 4754-2017: sections A–T, divisions, groups, classes.

The table ships as package data (``data/gbt4754_2017.csv``, header ``code,level,name,parent``);
codes are validated against it and shown with their names."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

from .errors import UnknownIndustry

EDITION = "GB/T 4754-2017"
LEVELS = {"section": "门类", "division": "大类", "group": "中类", "class": "小类"}


@dataclass(frozen=True)
class Industry:
    """One code of the classification: ``3911`` 计算机整机制造 (a class under group 391)."""

    code: str
    level: str
    name: str
    parent: str | None

    @property
    def label(self) -> str:
        """3911 计算机整机制造."""
        return f"{self.code} {self.name}"


@cache
def industries() -> Mapping[str, Industry]:
    """Every code of the classification, in the standard's order."""
    text = resources.files("huiqi.rules").joinpath("data", "gbt4754_2017.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return MappingProxyType(
        {
            row["code"]: Industry(row["code"], row["level"], row["name"], row["parent"] or None)
            for row in rows
        }
    )


@cache
def children() -> Mapping[str, tuple[Industry, ...]]:
    """The codes directly under each code."""
    out: dict[str, list[Industry]] = {}
    for item in industries().values():
        if item.parent is not None:
            out.setdefault(item.parent, []).append(item)
    return MappingProxyType({code: tuple(items) for code, items in out.items()})


def industry(code: str) -> Industry:
    """The industry with this code (``3911``, ``C``, ``591``), or :class:`UnknownIndustry`."""
    key = code.strip().upper()
    found = industries().get(key)
    if found is None:
        raise UnknownIndustry(
            f"{EDITION}《国民经济行业分类》中没有行业代码“{code}”。"
            "代码为门类字母（A—T）或2至4位数字（大类、中类、小类），如 C、39、391、3911"
        )
    return found


def ancestors(code: str) -> tuple[Industry, ...]:
    """The code itself, then its parent, up to its section."""
    chain = [industry(code)]
    while chain[-1].parent is not None:
        chain.append(industries()[chain[-1].parent])
    return tuple(chain)
