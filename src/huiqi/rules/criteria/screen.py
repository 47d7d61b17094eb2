"""Population screening (免申即享, 长春 条例 第三十五条): the compiled criteria run inside the
database engine — SQLite, PostgreSQL or DuckDB — in one scan per batch of policies, never a
Python loop per enterprise. Each enterprise gets, per policy, its eligibility and the compact
code from which :func:`~.evaluate.explain` rebuilds the explanation.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import compress
from pathlib import Path
from typing import Any

from sqlglot import exp

from huiqi.rules.facts import catalogue

from .errors import PopulationError
from .evaluate import explain
from .nodes import Criteria, inputs, leaves
from .outcome import Eligibility, Outcome
from .sql import DIALECTS, column_type, screening_query

BATCH = 50
"""Policies per query: one scan of the population screens this many."""
CHUNK = 50_000
"""Rows fetched at a time: results go into compact columns, never a Python row per result."""

DEGREES = (Eligibility.NOT_ELIGIBLE, Eligibility.POSSIBLY, Eligibility.ELIGIBLE)
"""The eligibility of each result degree: 0 not, 1 possibly, 2 eligible."""

_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


@dataclass(frozen=True, eq=False)
class PolicyScreen:
    """One policy's results over the population, in columns aligned by position with
    ``uscc``: ``values`` holds each result's degree (see :data:`DEGREES`), ``codes`` its
    compact code. Both are compact arrays (1 and 8 bytes per enterprise)."""

    policy: str
    criteria: Criteria
    uscc: Sequence[str]
    values: array
    codes: array

    def counts(self) -> dict[Eligibility, int]:
        """How many enterprises are eligible, possibly eligible, not eligible."""
        counted = Counter(self.values)
        return {e: counted.get(DEGREES.index(e), 0) for e in Eligibility}

    def enterprises(self, eligibility: Eligibility) -> list[str]:
        """The uscc of every enterprise with this result (e.g. the eligible: 免申即享)."""
        wanted = DEGREES.index(eligibility)
        return list(compress(self.uscc, (v == wanted for v in self.values)))

    def result(self, uscc: str) -> tuple[Eligibility, int]:
        """The eligibility and compact code of one enterprise."""
        i = self._position(uscc)
        return DEGREES[self.values[i]], self.codes[i]

    def explain(self, uscc: str) -> Outcome:
        """The explanation of one enterprise's result, rebuilt from its code."""
        return explain(self.criteria, self.codes[self._position(uscc)])

    @cached_property
    def _index(self) -> dict[str, int]:
        return {uscc: i for i, uscc in enumerate(self.uscc)}

    def _position(self, uscc: str) -> int:
        try:
            return self._index[uscc]
        except KeyError:
            raise PopulationError(f"筛查结果中没有统一社会信用代码为“{uscc}”的企业") from None


@dataclass(frozen=True)
class Screening:
    """The results of screening a population on a date, per policy."""

    on: date
    engine: str
    policies: Mapping[str, PolicyScreen] = field(default_factory=dict)

    def __getitem__(self, policy: str) -> PolicyScreen:
        return self.policies[policy]

    def counts(self) -> dict[str, dict[Eligibility, int]]:
        """Per policy, how many enterprises are eligible, possibly eligible, not eligible."""
        return {policy: result.counts() for policy, result in self.policies.items()}


def screen(
    population: Any,
    criteria: Mapping[str, Criteria],
    on: date,
    *,
    engine: str | None = None,
    table: str = "enterprises",
    progress: Callable[[int, int], None] | None = None,
) -> Screening:
    """Screen a population for every policy's criteria on the screening date ``on``.

    ``population`` is a ``sqlite3`` connection or SQLite file (``.db``, ``.sqlite``), a
    psycopg connection (PostgreSQL), a DuckDB connection or ``.duckdb`` file, or a Parquet or
    CSV file (read by DuckDB); connections and database files hold the population in
    ``table``. ``engine`` (sqlite, postgres, duckdb) overrides the guess. ``progress`` is told
    ``(policies done, policies)`` after each scan. A population without a column the criteria
    read raises :class:`PopulationError` before any work is done."""
    with _opened(population, engine, table) as (connection, dialect):
        _check_columns(connection, dialect, table, criteria)
        policies = list(criteria)
        results: dict[str, PolicyScreen] = {}
        for start in range(0, len(policies), BATCH):
            chunk = {p: criteria[p] for p in policies[start : start + BATCH]}
            query = screening_query(chunk, on, dialect, table=table)
            uscc, columns = _fetched(connection.execute(query.sql), 2 * len(chunk))
            for p, policy in enumerate(query.policies):
                values, codes = columns[2 * p], columns[2 * p + 1]
                results[policy] = PolicyScreen(policy, chunk[policy], uscc, values, codes)
            if progress is not None:
                progress(len(results), len(policies))
        return Screening(on, dialect, results)


def _fetched(cursor: Any, width: int) -> tuple[list[str], list[array]]:
    """The uscc column and ``width`` integer columns (degree, code, degree, code …), fetched
    a chunk at a time into compact arrays."""
    uscc: list[str] = []
    columns = [array("b" if i % 2 == 0 else "q") for i in range(width)]
    while rows := cursor.fetchmany(CHUNK):
        transposed = list(zip(*rows, strict=True))
        uscc.extend(transposed[0])
        for column, values in zip(columns, transposed[1:], strict=True):
            column.extend(values)
    return uscc, columns


def _check_columns(
    connection: Any, dialect: str, table: str, criteria: Mapping[str, Criteria]
) -> None:
    probe = exp.select(exp.Star()).from_(exp.to_table(table)).limit(0)
    try:
        cursor = connection.execute(probe.sql(dialect=dialect))
    except Exception as exc:
        raise PopulationError(f"无法读取企业名录表“{table}”：{exc}") from exc
    present = {d[0] for d in cursor.description}
    needed = {"uscc"} | {name for t in criteria.values() for c in leaves(t) for name in inputs(c)}
    missing = [name for name in catalogue().facts if name in needed and name not in present]
    if missing:
        listed = "、".join(f"{m}（{catalogue().facts[m].label}）" for m in missing)
        raise PopulationError(f"企业名录“{table}”缺少筛查所需的列：{listed}")


@contextmanager
def _opened(population: Any, engine: str | None, table: str) -> Iterator[tuple[Any, str]]:
    """The DB-API connection and dialect for a population; files are opened (read-only)
    and closed here, connections given are left open."""
    if engine is not None and engine not in DIALECTS:
        raise PopulationError(f"不支持的数据库“{engine}”；可用：{'、'.join(DIALECTS)}")
    if isinstance(population, str | Path):
        path = Path(population)
        if not path.exists():
            raise PopulationError(f"企业名录文件不存在：{path}")
        suffix = path.suffix.lower()
        if engine == "sqlite" or (engine is None and suffix in _SQLITE_SUFFIXES):
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                yield connection, "sqlite"
            finally:
                connection.close()
            return
        if engine in (None, "duckdb") and suffix in (".parquet", ".csv", ".duckdb"):
            with _duckdb(path, suffix, table) as connection:
                yield connection, "duckdb"
            return
        raise PopulationError(
            f"无法识别企业名录文件“{path.name}”：应为 SQLite（.db/.sqlite）、DuckDB（.duckdb）、"
            "Parquet 或 CSV 文件"
        )
    if isinstance(population, sqlite3.Connection):
        yield population, engine or "sqlite"
        return
    module = type(population).__module__
    if module.lstrip("_").startswith("duckdb"):
        yield population, engine or "duckdb"
        return
    if module.startswith("psycopg"):
        yield population, engine or "postgres"
        return
    if engine is not None:
        yield population, engine
        return
    raise PopulationError(f"无法识别的企业名录：{type(population).__name__}；请指明 engine")


@contextmanager
def _duckdb(path: Path, suffix: str, table: str) -> Iterator[Any]:
    import duckdb

    if suffix == ".duckdb":
        connection = duckdb.connect(str(path), read_only=True)
    else:
        connection = duckdb.connect()
        if suffix == ".parquet":
            relation = connection.read_parquet(str(path))
        else:
            header = connection.read_csv(str(path), header=True).columns
            facts = catalogue().facts
            types = {
                name: column_type(facts[name].type, "duckdb") for name in header if name in facts
            }
            relation = connection.read_csv(str(path), header=True, dtype=types)
        relation.create_view(table)
    try:
        yield connection
    finally:
        connection.close()
