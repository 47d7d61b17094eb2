"""huiqi.population — registries of enterprises: the table the fact catalogue defines, files in
Parquet, CSV and SQLite, a synthetic registry for demos and benchmarks, and the size classes
of a whole population at once. Pure Python, no Django.

The modules that need polars and numpy load on first use, so that importing the package (as
every ``huiqi`` command does) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .cities import CITIES, City, District, city
from .errors import MissingColumns, PopulationError, UnknownCity, UnsupportedFormat
from .formats import SUFFIXES, Format, format_of

if TYPE_CHECKING:
    from .io import conform, read, replacing, write
    from .schema import (
        REQUIRED,
        TABLE,
        Column,
        Dialect,
        column_names,
        columns,
        create_index,
        create_table,
        ddl,
        polars_schema,
    )
    from .size import NOT_COVERED, UNKNOWN, size_classes, size_mix
    from .synthetic import generate

_LAZY = {
    **dict.fromkeys(("conform", "read", "replacing", "write"), "io"),
    **dict.fromkeys(
        (
            "REQUIRED",
            "TABLE",
            "Column",
            "Dialect",
            "column_names",
            "columns",
            "create_index",
            "create_table",
            "ddl",
            "polars_schema",
        ),
        "schema",
    ),
    **dict.fromkeys(("NOT_COVERED", "UNKNOWN", "size_classes", "size_mix"), "size"),
    "generate": "synthetic",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


__all__ = [
    "CITIES",
    "NOT_COVERED",
    "REQUIRED",
    "SUFFIXES",
    "TABLE",
    "UNKNOWN",
    "City",
    "Column",
    "Dialect",
    "District",
    "Format",
    "MissingColumns",
    "PopulationError",
    "UnknownCity",
    "UnsupportedFormat",
    "city",
    "column_names",
    "columns",
    "conform",
    "create_index",
    "create_table",
    "ddl",
    "format_of",
    "generate",
    "polars_schema",
    "read",
    "replacing",
    "size_classes",
    "size_mix",
    "write",
]
