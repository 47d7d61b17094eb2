"""The population table: one row per enterprise, one column per stored fact of the catalogue
(``huiqi.rules.facts``), in catalogue order. The same definition gives the Polars (Arrow)
schema and the DDL for SQLite, PostgreSQL and DuckDB, so every store of a registry has the
columns the criteria, the matcher and the screens expect.

Nullability: NULL is an unknown fact (a qualification column is NULL when the title is not
held); only the registration facts every registry row carries (:data:`REQUIRED`) are NOT NULL.
Amounts (万元) are stored as double precision in every store so that screening in SQLite,
DuckDB and PostgreSQL compares the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import polars as pl

from huiqi.rules.facts import Fact, FactType, catalogue

TABLE = "enterprises"
"""The table name in SQL stores."""

REQUIRED = frozenset({"uscc", "name", "year", "industry", "district", "founded"})
"""Registration facts every row has: the identifier, the name, the year of the financial data,
the industry, the district and the founding date."""


class Dialect(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    DUCKDB = "duckdb"


_POLARS: dict[FactType, pl.DataType] = {
    FactType.TEXT: pl.String(),
    FactType.INDUSTRY: pl.String(),
    FactType.DIVISION: pl.String(),
    FactType.DATE: pl.Date(),
    FactType.INTEGER: pl.Int64(),
    FactType.DECIMAL: pl.Float64(),
    FactType.BOOLEAN: pl.Boolean(),
}

# SQLite tables are STRICT: dates are ISO 8601 text (they sort and compare as dates),
# booleans are 0/1.
_SQL: dict[Dialect, dict[FactType, str]] = {
    Dialect.SQLITE: {
        FactType.TEXT: "TEXT",
        FactType.INDUSTRY: "TEXT",
        FactType.DIVISION: "TEXT",
        FactType.DATE: "TEXT",
        FactType.INTEGER: "INTEGER",
        FactType.DECIMAL: "REAL",
        FactType.BOOLEAN: "INTEGER",
    },
    Dialect.POSTGRESQL: {
        FactType.TEXT: "TEXT",
        FactType.INDUSTRY: "TEXT",
        FactType.DIVISION: "TEXT",
        FactType.DATE: "DATE",
        FactType.INTEGER: "BIGINT",
        FactType.DECIMAL: "DOUBLE PRECISION",
        FactType.BOOLEAN: "BOOLEAN",
    },
    Dialect.DUCKDB: {
        FactType.TEXT: "VARCHAR",
        FactType.INDUSTRY: "VARCHAR",
        FactType.DIVISION: "VARCHAR",
        FactType.DATE: "DATE",
        FactType.INTEGER: "BIGINT",
        FactType.DECIMAL: "DOUBLE",
        FactType.BOOLEAN: "BOOLEAN",
    },
}

_TYPE_LABELS = {
    FactType.TEXT: "文本",
    FactType.INDUSTRY: "行业代码",
    FactType.DIVISION: "行政区划代码",
    FactType.DATE: "日期（如 2025-06-01）",
    FactType.INTEGER: "整数",
    FactType.DECIMAL: "数字",
    FactType.BOOLEAN: "是否值（true / false）",
}


@dataclass(frozen=True)
class Column:
    """One column of the population table: a stored fact with its storage types."""

    fact: Fact
    nullable: bool

    @property
    def name(self) -> str:
        return self.fact.name

    @property
    def label(self) -> str:
        return self.fact.label

    @property
    def type(self) -> FactType:
        return self.fact.type

    @property
    def type_label(self) -> str:
        """整数, 日期（如 2025-06-01）…: what a value of this column must look like."""
        return _TYPE_LABELS[self.type]

    @property
    def polars_type(self) -> pl.DataType:
        return _POLARS[self.type]

    def sql_type(self, dialect: Dialect) -> str:
        return _SQL[dialect][self.type]

    def definition(self, dialect: Dialect) -> str:
        """``"employees" INTEGER`` or ``"uscc" TEXT NOT NULL``."""
        null = "" if self.nullable else " NOT NULL"
        return f"{_quote(self.name)} {self.sql_type(dialect)}{null}"


@cache
def columns() -> tuple[Column, ...]:
    """The population's columns: the catalogue's stored facts, in catalogue order."""
    return tuple(Column(f, nullable=f.name not in REQUIRED) for f in catalogue().stored())


def column_names() -> tuple[str, ...]:
    return tuple(c.name for c in columns())


def polars_schema() -> pl.Schema:
    """The population as a Polars (Arrow) schema."""
    return pl.Schema({c.name: c.polars_type for c in columns()})


def create_table(dialect: Dialect, table: str = TABLE) -> str:
    """``CREATE TABLE`` for the population in ``dialect``."""
    body = ",\n  ".join(c.definition(dialect) for c in columns())
    strict = " STRICT" if dialect is Dialect.SQLITE else ""
    return f"CREATE TABLE {_quote(table)} (\n  {body}\n){strict}"


def create_index(table: str = TABLE) -> str:
    """The unique index on ``uscc``, the same in the three dialects (create it after a bulk
    load, which is faster)."""
    return f"CREATE UNIQUE INDEX {_quote(f'{table}_uscc')} ON {_quote(table)} ({_quote('uscc')})"


def ddl(dialect: Dialect, table: str = TABLE) -> tuple[str, ...]:
    """The statements that create the population table and its index."""
    return (create_table(dialect, table), create_index(table))


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
