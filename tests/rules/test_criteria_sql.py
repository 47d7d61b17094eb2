"""Population screening compiled to SQL: Python = SQLite = DuckDB = PostgreSQL for random
enterprises (missing facts included) and random criteria — the overall result and the compact
code — and the screening helpers over files and connections."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiqi.rules.criteria import (
    And,
    Dishonest,
    Eligibility,
    PopulationError,
    evaluate,
    parse,
    population_schema,
    screen,
    screening_query,
)
from huiqi.rules.criteria.screen import BATCH, DEGREES
from huiqi.rules.facts import FactType, catalogue

from .criteria_strategies import SCREENING_DATES, criteria_trees, enterprises

COLUMNS = [f.name for f in catalogue().stored()]


def _row(facts: dict[str, Any], engine: str) -> list[Any]:
    """One enterprise as a row for the engine: SQLite has no date or decimal type, DuckDB's
    amounts are DOUBLE, PostgreSQL takes Decimal and date as they are."""
    out = []
    for name in COLUMNS:
        value = facts.get(name)
        if isinstance(value, Decimal) and engine != "postgres":
            value = float(value)
        elif isinstance(value, date) and engine == "sqlite":
            value = value.isoformat()
        out.append(value)
    return out


def _load(connection: Any, engine: str, rows: list[dict[str, Any]]) -> None:
    marker = "%s" if engine == "postgres" else "?"
    insert = (
        f"INSERT INTO enterprises ({', '.join(COLUMNS)}) "
        f"VALUES ({', '.join([marker] * len(COLUMNS))})"
    )
    connection.execute("DROP TABLE IF EXISTS enterprises")
    connection.execute(population_schema(engine))
    if engine == "postgres":
        with connection.cursor() as cursor:
            cursor.executemany(insert, [_row(r, engine) for r in rows])
    else:
        connection.executemany(insert, [_row(r, engine) for r in rows])


def _by_uscc(screening, policy) -> dict[str, tuple[str, int]]:
    result = screening[policy]
    statuses = [DEGREES[v].value for v in result.values]
    return dict(zip(result.uscc, zip(statuses, result.codes, strict=True), strict=True))


@pytest.fixture
def postgres(postgres_dsn):
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        yield connection


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.data(),
    trees=st.lists(criteria_trees, min_size=1, max_size=3),
    on=st.sampled_from(SCREENING_DATES),
    size=st.integers(1, 6),
)
def test_python_sqlite_duckdb_postgres_agree(postgres, data, trees, on, size):
    rows = [data.draw(enterprises(on, f"E{i:03d}")) for i in range(size)]
    criteria = {f"p{i}": tree for i, tree in enumerate(trees)}
    expected = {
        policy: {
            row["uscc"]: (outcome.eligibility.value, outcome.code)
            for row in rows
            for outcome in (evaluate(tree, row, on),)
        }
        for policy, tree in criteria.items()
    }
    lite = sqlite3.connect(":memory:")
    duck = duckdb.connect()
    for engine, connection in (("sqlite", lite), ("duckdb", duck), ("postgres", postgres)):
        _load(connection, engine, rows)
        screening = screen(connection, criteria, on)
        assert screening.engine == engine
        for policy in criteria:
            assert _by_uscc(screening, policy) == expected[policy], engine
    lite.close()
    duck.close()


# helpers over files and connections -------------------------------------------------------

ON = date(2025, 1, 1)
POLICIES = {
    "startup": parse("成立年限 < 3年 且 创办人 属于 高校毕业生、退役军人 且 不是 失信"),
    "sme_rd": parse(
        "企业规模 属于 小型、微型 且 所属行业 属于 C 且 研发费用占营业收入比例 ≥ 3% 且 "
        "所在地区 属于 220100"
    ),
    "farm": parse("所属行业 属于 A 且 企业规模 ≤ 中型"),
}
ENTERPRISES = [
    {
        "uscc": "A1",
        "industry": "3911",
        "district": "220102",
        "founded": date(2023, 5, 1),
        "employees": 50,
        "revenue": Decimal(1000),
        "rd_expense": Decimal(40),
        "founder_graduate": True,
        "dishonest": False,
    },
    {
        "uscc": "A2",
        "industry": "0111",
        "district": "220106",
        "founded": date(2010, 1, 1),
        "employees": 5,
        "revenue": Decimal(80),
        "founder_veteran": False,
        "dishonest": True,
    },
    {"uscc": "A3", "industry": "3911", "district": "440300", "employees": 50},
]
EXPECTED = {
    "startup": {"A1": "eligible", "A2": "not", "A3": "possibly"},
    "sme_rd": {"A1": "eligible", "A2": "not", "A3": "not"},
    "farm": {"A1": "not", "A2": "eligible", "A3": "not"},
}


def _statuses(screening) -> dict[str, dict[str, str]]:
    return {
        policy: {u: s for u, (s, _) in _by_uscc(screening, policy).items()} for policy in POLICIES
    }


def _sqlite_file(path: Path) -> Path:
    connection = sqlite3.connect(path)
    _load(connection, "sqlite", ENTERPRISES)
    connection.commit()
    connection.close()
    return path


def test_screen_an_sqlite_file(tmp_path):
    path = _sqlite_file(tmp_path / "registry.db")
    screening = screen(path, POLICIES, ON)
    assert _statuses(screening) == EXPECTED
    assert screening.counts()["startup"] == {
        Eligibility.ELIGIBLE: 1,
        Eligibility.POSSIBLY: 1,
        Eligibility.NOT_ELIGIBLE: 1,
    }
    startup = screening["startup"]
    assert startup.result("A3") == (Eligibility.POSSIBLY, startup.codes[2])
    assert startup.enterprises(Eligibility.ELIGIBLE) == ["A1"]
    explained = startup.explain("A3")
    assert [leaf.status.value for leaf in explained.leaves] == ["unknown", "unknown", "unknown"]
    assert explained.leaves[0].missing == ("founded",)
    assert startup.explain("A1").value is True
    with pytest.raises(PopulationError, match="没有统一社会信用代码为“ZZ”的企业"):
        startup.result("ZZ")


def test_screen_parquet_and_csv_through_duckdb(tmp_path):
    with duckdb.connect() as connection:
        _load(connection, "duckdb", ENTERPRISES)
        connection.execute(f"COPY enterprises TO '{tmp_path / 'registry.parquet'}'")
    parquet = screen(tmp_path / "registry.parquet", POLICIES, ON)
    assert parquet.engine == "duckdb"
    assert _statuses(parquet) == EXPECTED

    path = tmp_path / "registry.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in ENTERPRISES:
            writer.writerow(["" if v is None else v for v in _row(row, "sqlite")])
    assert _statuses(screen(str(path), POLICIES, ON)) == EXPECTED  # codes like 0111 stay text


def test_screen_a_duckdb_table_and_postgres(postgres):
    with duckdb.connect() as connection:
        _load(connection, "duckdb", ENTERPRISES)
        assert _statuses(screen(connection, POLICIES, ON)) == EXPECTED
    _load(postgres, "postgres", ENTERPRISES)
    assert _statuses(screen(postgres, POLICIES, ON)) == EXPECTED


def test_many_policies_are_screened_in_batches_with_progress():
    connection = sqlite3.connect(":memory:")
    _load(connection, "sqlite", ENTERPRISES)
    many = {f"p{i}": parse(f"从业人员 ≥ {i}人") for i in range(BATCH + 7)}
    seen = []
    screening = screen(connection, many, ON, progress=lambda done, total: seen.append(done))
    assert seen == [BATCH, BATCH + 7]
    assert _by_uscc(screening, "p50")["A1"][0] == "eligible"
    assert _by_uscc(screening, "p51")["A1"][0] == "not"
    assert _by_uscc(screening, "p0")["A1"][0] == "eligible"


def test_population_without_a_needed_column_is_refused():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE enterprises (uscc TEXT, industry TEXT, employees INTEGER)")
    with pytest.raises(PopulationError) as caught:
        screen(connection, POLICIES, ON)
    message = str(caught.value)
    assert message.startswith("企业名录“enterprises”缺少筛查所需的列：")
    assert "district（所在地区）" in message
    assert "revenue（营业收入）" in message
    with pytest.raises(PopulationError, match="无法读取企业名录表“registry”"):
        screen(connection, POLICIES, ON, table="registry")


def test_unusable_populations_and_criteria(tmp_path):
    with pytest.raises(PopulationError, match="企业名录文件不存在"):
        screen(tmp_path / "none.db", POLICIES, ON)
    (tmp_path / "registry.xlsx").write_bytes(b"")
    with pytest.raises(PopulationError, match="无法识别企业名录文件"):
        screen(tmp_path / "registry.xlsx", POLICIES, ON)
    with pytest.raises(PopulationError, match="无法识别的企业名录"):
        screen(object(), POLICIES, ON)
    with pytest.raises(PopulationError, match="不支持的数据库“oracle”"):
        screening_query(POLICIES, ON, "oracle")
    long = And(tuple(Dishonest() for _ in range(32)))
    with pytest.raises(PopulationError, match="有 32 项条件，超过筛查结果代码可容纳的 31 项"):
        screening_query({"long": long}, ON, "sqlite")


def test_schema_types_per_engine():
    assert "founded TEXT" in population_schema("sqlite")
    assert "founded DATE" in population_schema("duckdb")
    assert "revenue DOUBLE" in population_schema("duckdb")
    dates = [f.name for f in catalogue().stored() if f.type is FactType.DATE]
    assert all(f"{d} DATE" in population_schema("postgres") for d in dates)
