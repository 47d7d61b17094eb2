"""The population table comes from the fact catalogue: the same columns, in the same order,
in Polars and in the DDL of SQLite, DuckDB and PostgreSQL."""

from __future__ import annotations

import sqlite3

import duckdb
import polars as pl
import psycopg
import pytest

from huiqi.population import (
    REQUIRED,
    TABLE,
    Dialect,
    column_names,
    columns,
    ddl,
    polars_schema,
    write,
)
from huiqi.rules.facts import FactType, catalogue


def test_columns_are_the_catalogues_stored_facts_in_order():
    assert column_names() == tuple(f.name for f in catalogue().stored())
    assert tuple(polars_schema()) == column_names()
    assert {"uscc", "revenue", "zjtx_from", "zjtx_to", "zjtx_first"} <= set(column_names())
    assert "size_class" not in column_names()  # derived, never stored


def test_registration_facts_are_required_and_the_others_nullable():
    assert set(column_names()) >= REQUIRED
    for column in columns():
        assert column.nullable == (column.name not in REQUIRED)


def test_every_fact_type_maps_in_every_store():
    for column in columns():
        assert isinstance(column.polars_type, pl.DataType)
        for dialect in Dialect:
            assert column.sql_type(dialect)
    assert polars_schema()["founded"] == pl.Date
    assert polars_schema()["revenue"] == pl.Float64
    assert polars_schema()["dishonest"] == pl.Boolean


def test_sqlite_ddl_creates_the_table_and_its_unique_index():
    connection = sqlite3.connect(":memory:")
    for statement in ddl(Dialect.SQLITE):
        connection.execute(statement)
    info = connection.execute(f"PRAGMA table_info({TABLE})").fetchall()
    assert tuple(row[1] for row in info) == column_names()
    assert {row[1] for row in info if row[3]} == REQUIRED
    connection.execute(f"INSERT INTO {TABLE} (uscc, name, year, industry, district, founded) "
                       "VALUES ('x', 'n', 2025, '5110', '220102', '2020-01-01')")  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError):
        connection.execute(f"INSERT INTO {TABLE} (uscc, name, year, industry, district, founded) "
                           "VALUES ('x', 'm', 2025, '5110', '220102', '2020-01-01')")  # fmt: skip
    with pytest.raises(sqlite3.IntegrityError):  # STRICT: a number column refuses text
        connection.execute(f"INSERT INTO {TABLE} (uscc, name, year, industry, district, founded) "
                           "VALUES ('y', 'm', 'soon', '5110', '220102', '2020-01-01')")  # fmt: skip


def test_duckdb_ddl_loads_a_written_population(population, tmp_path):
    path = write(population.head(500), tmp_path / "p.parquet")
    connection = duckdb.connect()
    for statement in ddl(Dialect.DUCKDB):
        connection.execute(statement)
    connection.execute(f"INSERT INTO {TABLE} SELECT * FROM read_parquet('{path}')")
    described = connection.execute(f"DESCRIBE {TABLE}").fetchall()
    assert tuple(row[0] for row in described) == column_names()
    types = {row[0]: row[1] for row in described}
    assert (types["founded"], types["employees"], types["revenue"]) == ("DATE", "BIGINT", "DOUBLE")
    loaded = connection.execute(f"SELECT * FROM {TABLE} ORDER BY uscc").fetchall()
    assert loaded == population.head(500).sort("uscc").rows()


def test_postgresql_ddl_round_trips_rows(population, postgres_dsn):
    sample = population.head(200)
    names = ", ".join(f'"{name}"' for name in column_names())
    marks = ", ".join(["%s"] * len(column_names()))
    with psycopg.connect(postgres_dsn) as connection:
        for statement in ddl(Dialect.POSTGRESQL):
            connection.execute(statement)
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {TABLE} ({names}) VALUES ({marks})", sample.rows())
            cursor.execute(f"SELECT {names} FROM {TABLE} ORDER BY uscc")
            rows = cursor.fetchall()
    assert rows == sample.sort("uscc").rows()


def test_date_columns_are_the_date_facts():
    dates = {c.name for c in columns() if c.type is FactType.DATE}
    assert dates == {n for n, t in polars_schema().items() if t == pl.Date}
    assert {"founded", "listed_on", "first_bond_on", "high_tech_from"} <= dates
