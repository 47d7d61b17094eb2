"""Jurisdictions by 行政区划代码, each with its parent: 长春市 → 吉林省 → 全国.

A rule asked for 长春 that 长春's own regulation does not set is looked up in 吉林's, then in the
national rules (``data/jurisdictions.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml

from .errors import UnknownJurisdiction

NATIONAL = "cn"


@dataclass(frozen=True)
class Jurisdiction:
    """An administrative division: ``220100`` 长春市, parent ``220000``; ``cn`` has none."""

    code: str
    name: str
    parent: str | None = None


@cache
def jurisdictions() -> Mapping[str, Jurisdiction]:
    """Every declared jurisdiction, by code."""
    text = resources.files("huiqi.rules").joinpath("data", "jurisdictions.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)["jurisdictions"]
    return MappingProxyType(
        {
            str(code): Jurisdiction(str(code), body["name"], body.get("parent"))
            for code, body in raw.items()
        }
    )


def jurisdiction(code: str) -> Jurisdiction:
    """The jurisdiction with this 行政区划代码, or :class:`UnknownJurisdiction`."""
    known = jurisdictions()
    if code not in known:
        listed = "、".join(f"{j.code} {j.name}" for j in known.values())
        raise UnknownJurisdiction(f"未知的行政区划代码“{code}”。可用：{listed}")
    return known[code]


def lineage(code: str) -> tuple[Jurisdiction, ...]:
    """The jurisdiction, then its parent, up to the national level."""
    chain = [jurisdiction(code)]
    while chain[-1].parent is not None:
        chain.append(jurisdiction(chain[-1].parent))
    return tuple(chain)
