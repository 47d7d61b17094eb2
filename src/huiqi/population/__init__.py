"""Populations (registries) of enterprises: the table the fact catalogue defines, files in
Parquet, CSV and SQLite, a synthetic registry for demos and benchmarks, and size classes of a
whole population at once."""

from .cities import CITIES, City, District, city
from .errors import MissingColumns, PopulationError, UnknownCity, UnsupportedFormat
from .io import Format, conform, format_of, read, write
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

__all__ = [
    "CITIES",
    "NOT_COVERED",
    "REQUIRED",
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
    "size_classes",
    "size_mix",
    "write",
]
