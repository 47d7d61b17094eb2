"""The catalogue of enterprise facts that criteria may use (``data/facts.yaml``).

The catalogue is the contract between the criteria language, the per-enterprise matcher,
the population screens and the registry: one stored fact is one population column. Facts
marked ``shared`` are data the government already holds — 长春 条例 第三十五条第三款: the
platform must not ask an enterprise to provide them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml


class FactType(StrEnum):
    TEXT = "text"
    INDUSTRY = "industry"
    DIVISION = "division"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    SIZE = "size"


class Source(StrEnum):
    SHARED = "shared"  # held by government and shared with the department
    SELF = "self"  # declared by the enterprise
    DERIVED = "derived"  # computed from other facts


@dataclass(frozen=True)
class Fact:
    name: str
    label: str
    type: FactType
    source: Source
    unit: str | None = None
    derived_from: tuple[str, ...] = ()
    qualification: str | None = None  # the qualification key of a <key>_from/_to/_first column
    complete: bool = False
    """From a complete government list: NULL means the enterprise has none, never unknown."""

    @property
    def stored(self) -> bool:
        """A population column holds it (derived facts are computed)."""
        return self.source is not Source.DERIVED


@dataclass(frozen=True)
class Qualification:
    """A title with a validity period: 专精特新, 高新技术企业 …"""

    key: str
    label: str

    @property
    def columns(self) -> tuple[str, str, str]:
        return (f"{self.key}_from", f"{self.key}_to", f"{self.key}_first")


@dataclass(frozen=True)
class Catalogue:
    facts: Mapping[str, Fact]
    qualifications: Mapping[str, Qualification]

    def stored(self) -> tuple[Fact, ...]:
        """The population's columns, in catalogue order."""
        return tuple(f for f in self.facts.values() if f.stored)


_QUALIFICATION_COLUMNS = (
    ("from", "有效期起"),
    ("to", "有效期止"),
    ("first", "首次认定日期"),
)


@cache
def catalogue() -> Catalogue:
    """The bundled fact catalogue."""
    raw = yaml.safe_load(
        resources.files("huiqi.rules").joinpath("data", "facts.yaml").read_text("utf-8")
    )
    facts: dict[str, Fact] = {}
    for name, body in raw["facts"].items():
        facts[name] = Fact(
            name=name,
            label=body["label"],
            type=FactType(body["type"]),
            source=Source(body["source"]),
            unit=body.get("unit"),
            derived_from=tuple(body.get("from", ())),
            complete=body.get("complete", False),
        )
    qualifications = {
        key: Qualification(key, body["label"]) for key, body in raw["qualifications"].items()
    }
    for q in qualifications.values():
        for (_suffix, what), column in zip(_QUALIFICATION_COLUMNS, q.columns, strict=True):
            facts[column] = Fact(
                name=column,
                label=f"{q.label}{what}",
                type=FactType.DATE,
                source=Source.SHARED,
                qualification=q.key,
                complete=True,
            )
    return Catalogue(MappingProxyType(facts), MappingProxyType(qualifications))
