"""Benchmark of population screening (issue 4, item 6): N enterprises × P policies, loading and
evaluation timed apart, peak memory after each stage, five ways in the same run:

- huiqi in DuckDB and in SQLite: the criteria compiled with ``screening_query`` (50 policies
  per scan); each batch's per-enterprise results (degree and compact code per policy) stored
  in a table inside the engine (``CREATE TABLE … AS``), then counted there — nothing per
  enterprise comes back to Python.
- OpenFisca-core: one entity (企业), one input variable per column the rules read, one
  boolean variable per policy whose formula is the policy's criteria over arrays; fed through
  ``build_default_simulation`` + ``set_input``. OpenFisca has no unknowns: a missing value is
  the variable's default (0, False; for the dates of complete government lists —
  qualifications, listings, bond issues — 9999-12-31, i.e. "none", which is what NULL means
  there; an unknown founding date 9999-12-31 too). So only the enterprises huiqi decides
  (eligible or not) are compared; the agreement rate is printed.
- a plain per-enterprise Python loop: ``evaluate`` for every policy, on a sample,
  extrapolated to N (labelled as such).
- a numpy lower bound: Kleene logic as int8 degree arithmetic over the same columns, no
  explanations, no codes.

The size class is a derived fact (《中小企业划型标准规定》); numpy and OpenFisca read it as an
input column computed once at load by ``huiqi.population.size_classes`` (counted in their load
time). That column is NULL where huiqi's rules leave the size undecided *or* the standard does
not cover the industry; huiqi itself decides some of those (a set of sizes that every
completion falls in; an uncovered industry fails every size condition), so numpy can differ
from huiqi on size conditions: the agreement with huiqi per enterprise is printed.

The P policies are those of ``benchmarks/matching.py`` (the bundled pack varied
deterministically); all apply to 长春 and are open. The population is the synthetic 长春
registry (``huiqi.population.generate``).

Run: ``.venv/bin/python benchmarks/screening.py [--n 1000000] [--policies 200]
[--sample 1000]``. Needs the ``bench`` extra (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sqlglot import exp

from huiqi.population import generate, size_classes, write
from huiqi.rules.criteria import (
    And,
    AtLeast,
    Compare,
    Criteria,
    Dishonest,
    DistrictIn,
    FirstTime,
    Founder,
    Holds,
    IndustryIn,
    Not,
    Op,
    Or,
    SizeIn,
    evaluate,
    inputs,
    leaves,
    screening_query,
)
from huiqi.rules.criteria.semantics import district_prefix, founded_before, industry_test
from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.policies import checked_facts
from matching import ON, varied_pack

BATCH = 50
NEVER = np.datetime64("9999-12-31", "D")
_OPS: dict[Op, Callable[[Any, Any], Any]] = {
    Op.EQ: np.equal,
    Op.NE: np.not_equal,
    Op.LT: np.less,
    Op.LE: np.less_equal,
    Op.GT: np.greater,
    Op.GE: np.greater_equal,
}


@dataclass
class Row:
    """One line of the table: seconds to load and to evaluate, peak RSS (MiB) after it,
    counts per policy (eligible, possibly, not), and a note."""

    name: str
    load: float
    evaluate: float
    peak: float
    counts: dict[str, tuple[int, int, int]] | None = None
    note: str = ""


def peak_mib() -> float:
    """The process's peak resident memory so far (MiB; Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# huiqi in the engines --------------------------------------------------------------------


def huiqi_duckdb(parquet: Path, criteria: Mapping[str, Criteria]) -> Row:
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect()
    source = exp.Anonymous(this="read_parquet", expressions=[exp.Literal.string(str(parquet))])
    load = exp.Create(
        this=exp.to_table("enterprises"),
        kind="TABLE",
        expression=exp.select(exp.Star()).from_(source),
    )
    connection.execute(load.sql(dialect="duckdb"))
    loaded = time.perf_counter() - started
    counts = _screened_in_engine(connection, "duckdb", criteria)
    done = time.perf_counter() - started - loaded
    connection.close()
    return Row("huiqi DuckDB", loaded, done, peak_mib(), counts, "结果表在引擎内，含结果代码")


def huiqi_sqlite(frame: pl.DataFrame, criteria: Mapping[str, Criteria], where: Path) -> Row:
    started = time.perf_counter()
    path = write(frame, where / "population.sqlite")
    connection = sqlite3.connect(path)
    loaded = time.perf_counter() - started
    counts = _screened_in_engine(connection, "sqlite", criteria)
    done = time.perf_counter() - started - loaded
    connection.close()
    return Row("huiqi SQLite", loaded, done, peak_mib(), counts, "结果表在引擎内，含结果代码")


def _screened_in_engine(
    connection: Any, dialect: str, criteria: Mapping[str, Criteria]
) -> dict[str, tuple[int, int, int]]:
    """Each batch's per-enterprise results stored as a table in the engine, then counted
    there: per policy, enterprises with degree 2, 1, 0."""
    names = list(criteria)
    counts: dict[str, tuple[int, int, int]] = {}
    for start in range(0, len(names), BATCH):
        batch = names[start : start + BATCH]
        query = screening_query({n: criteria[n] for n in batch}, ON, dialect)
        table = f"results_{start // BATCH}"
        create = exp.Create(
            this=exp.to_table(table),
            kind="TABLE",
            expression=exp.maybe_parse(query.sql, dialect=dialect),
        )
        connection.execute(create.sql(dialect=dialect))
        sums = [
            exp.Sum(
                this=exp.Cast(
                    this=exp.EQ(this=exp.column(f"value_{i}"), expression=exp.Literal.number(d)),
                    to=exp.DataType.build("INT"),
                )
            )
            for i in range(len(batch))
            for d in (2, 1, 0)
        ]
        row = connection.execute(exp.select(*sums).from_(table).sql(dialect=dialect)).fetchone()
        for i, policy in enumerate(query.policies):
            counts[policy] = tuple(int(v or 0) for v in row[3 * i : 3 * i + 3])  # type: ignore[assignment]
    return counts


# the columns as arrays -------------------------------------------------------------------


@dataclass
class Columns:
    """The population as numpy arrays: numbers as float64 (NaN unknown), dates as
    datetime64[D] (NaT none/unknown), booleans as (value, known), codes as (uniques,
    inverse), and the size class per date."""

    numbers: dict[str, np.ndarray]
    dates: dict[str, np.ndarray]
    booleans: dict[str, tuple[np.ndarray, np.ndarray]]
    codes: dict[str, tuple[list[str | None], np.ndarray]]
    sizes: dict[date, tuple[list[str | None], np.ndarray]]


def columns_of(frame: pl.DataFrame, criteria: Mapping[str, Criteria]) -> Columns:
    facts = catalogue().facts
    used = {"uscc"} | {n for t in criteria.values() for c in leaves(t) for n in inputs(c)}
    out = Columns({}, {}, {}, {}, {})
    for name in used:
        column = frame.get_column(name)
        kind = facts[name].type
        if kind in (FactType.DECIMAL, FactType.INTEGER):
            out.numbers[name] = column.cast(pl.Float64).to_numpy()
        elif kind is FactType.DATE:
            out.dates[name] = column.to_numpy().astype("datetime64[D]")
        elif kind is FactType.BOOLEAN:
            out.booleans[name] = (
                column.fill_null(False).to_numpy(),
                column.is_not_null().to_numpy(),
            )
        elif name != "uscc":
            uniques, inverse = np.unique(column.fill_null("").to_numpy(), return_inverse=True)
            out.codes[name] = ([u or None for u in uniques.tolist()], inverse)
    for day in {c.on or ON for t in criteria.values() for c in leaves(t) if isinstance(c, SizeIn)}:
        uniques, inverse = np.unique(
            size_classes(frame, day).fill_null("").to_numpy(), return_inverse=True
        )
        out.sizes[day] = ([u or None for u in uniques.tolist()], inverse)
    return out


def leaf_test(node: Any, cols: Columns) -> tuple[np.ndarray, np.ndarray]:
    """The condition as two boolean arrays: its value where known, and whether it is known
    (huiqi's rules, two-valued per enterprise; see the module docstring on the size class)."""
    facts = catalogue().facts
    if isinstance(node, Compare):
        op = _OPS[node.op]
        if node.fact == "years_since_founding":
            return _years(node, cols.dates["founded"])
        if node.fact == "rd_ratio":
            revenue, rd = cols.numbers["revenue"], cols.numbers["rd_expense"]
            positive = revenue > 0
            value = positive & op(rd * 100, float(node.value) * revenue)
            known = ~np.isnan(revenue) & (~positive | ~np.isnan(rd))
            return value, known
        if facts[node.fact].type is FactType.DATE:
            column = cols.dates[node.fact]
            known = ~np.isnat(column) | facts[node.fact].complete
            return op(column, np.datetime64(node.value, "D")), known
        column = cols.numbers[node.fact]
        known = ~np.isnan(column) | facts[node.fact].complete
        return op(column, float(node.value)) & ~np.isnan(column), known
    if isinstance(node, SizeIn):
        uniques, inverse = cols.sizes[node.on or ON]
        wanted = {s.value for s in node.sizes}
        return _by_unique(uniques, inverse, lambda u: None if u is None else u in wanted)
    if isinstance(node, IndustryIn):
        tests = [industry_test(code) for code in node.codes]
        uniques, inverse = cols.codes["industry"]
        return _by_unique(
            uniques, inverse, lambda u: _any(t.match(u) for t in tests) if u else None
        )
    if isinstance(node, DistrictIn):
        prefixes = tuple(district_prefix(code) for code in node.codes)
        uniques, inverse = cols.codes["district"]
        return _by_unique(uniques, inverse, lambda u: None if u is None else u.startswith(prefixes))
    if isinstance(node, Holds):
        start, end = catalogue().qualifications[node.qualification].columns[:2]
        day = np.datetime64(node.on or ON, "D")
        begin, until = cols.dates[start], cols.dates[end]
        value = ~np.isnat(begin) & (begin <= day) & (np.isnat(until) | (until >= day))
        return value, np.ones(len(value), dtype=bool)
    if isinstance(node, FirstTime):
        column = cols.dates[node.fact]
        value = (column >= np.datetime64(node.start, "D")) & (
            column <= np.datetime64(node.end, "D")
        )
        return value, ~np.isnat(column) | facts[node.fact].complete
    if isinstance(node, Founder):
        parts = [cols.booleans[c.fact] for c in node.categories]
        value = np.logical_or.reduce([v & k for v, k in parts])
        known = value | np.logical_and.reduce([k for _, k in parts])
        return value, known
    assert isinstance(node, Dishonest)
    return cols.booleans["dishonest"]


def _any(values: Any) -> bool | None:
    found: bool | None = False
    for value in values:
        if value:
            return True
        if value is None:
            found = None
    return found


def _by_unique(
    uniques: Sequence[str | None], inverse: np.ndarray, test: Callable[[str | None], bool | None]
) -> tuple[np.ndarray, np.ndarray]:
    results = [test(u) for u in uniques]
    value = np.array([r is True for r in results])[inverse]
    known = np.array([r is not None for r in results])[inverse]
    return value, known


def _years(node: Compare, founded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """成立年限 op N through the founding-date bounds: years ≥ N ⟺ founded < B(N)."""
    n = int(node.value)

    def at_least(years: int) -> np.ndarray:
        bound = founded_before(ON, years)
        if bound is None:
            return np.zeros(len(founded), dtype=bool)
        return founded < np.datetime64(bound, "D")

    ge, gt = at_least(n), at_least(n + 1)
    value = {
        Op.GE: ge,
        Op.GT: gt,
        Op.LT: ~ge,
        Op.LE: ~gt,
        Op.EQ: ge & ~gt,
        Op.NE: ~(ge & ~gt),
    }[node.op]
    known = ~np.isnat(founded)
    return value & known, known


# numpy: Kleene logic on degrees ----------------------------------------------------------


def degrees(node: Criteria, cols: Columns) -> np.ndarray:
    """2 true, 1 unknown, 0 false (int8) for every enterprise."""
    if isinstance(node, Not):
        return 2 - degrees(node.item, cols)
    if isinstance(node, And):
        return np.minimum.reduce([degrees(i, cols) for i in node.items])
    if isinstance(node, Or):
        return np.maximum.reduce([degrees(i, cols) for i in node.items])
    if isinstance(node, AtLeast):
        items = [degrees(i, cols) for i in node.items]
        true = np.add.reduce([d == 2 for d in items], dtype=np.int16)
        possible = np.add.reduce([d >= 1 for d in items], dtype=np.int16)
        return np.where(true >= node.n, 2, np.where(possible < node.n, 0, 1)).astype(np.int8)
    value, known = leaf_test(node, cols)
    return np.where(known, value.astype(np.int8) * 2, 1).astype(np.int8)


def numpy_bound(frame: pl.DataFrame, criteria: Mapping[str, Criteria]) -> tuple[Row, Columns]:
    started = time.perf_counter()
    cols = columns_of(frame, criteria)
    loaded = time.perf_counter() - started
    counts = {}
    for name, tree in criteria.items():
        found = np.bincount(degrees(tree, cols), minlength=3)
        counts[name] = (int(found[2]), int(found[1]), int(found[0]))
    done = time.perf_counter() - started - loaded
    return Row("numpy 下界", loaded, done, peak_mib(), counts, "无解释、无结果代码"), cols


# OpenFisca ---------------------------------------------------------------------------------


def two_valued(node: Criteria, get: Callable[[Any], np.ndarray]) -> np.ndarray:
    if isinstance(node, Not):
        return ~two_valued(node.item, get)
    if isinstance(node, And):
        return np.logical_and.reduce([two_valued(i, get) for i in node.items])
    if isinstance(node, Or):
        return np.logical_or.reduce([two_valued(i, get) for i in node.items])
    if isinstance(node, AtLeast):
        return np.add.reduce([two_valued(i, get) for i in node.items], dtype=np.int16) >= node.n
    return get(node)


def openfisca(
    frame: pl.DataFrame, criteria: Mapping[str, Criteria], reference: Columns
) -> tuple[Row, dict[str, np.ndarray]]:
    """Build the tax-benefit system, feed the columns with ``set_input`` (defaults for
    missing values), calculate every policy's variable."""
    from openfisca_core.entities import build_entity
    from openfisca_core.periods import DateUnit
    from openfisca_core.simulations import SimulationBuilder
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    period = str(ON.year)
    started = time.perf_counter()
    enterprise = build_entity(key="enterprise", plural="enterprises", label="企业", is_person=True)
    system = TaxBenefitSystem([enterprise])
    feed: dict[str, np.ndarray] = {}
    specs: dict[str, tuple[type, Any]] = {}
    for name, column in reference.numbers.items():
        feed[name], specs[name] = np.nan_to_num(column, nan=0.0), (float, 0.0)
    for name, column in reference.dates.items():
        feed[name], specs[name] = (
            np.where(np.isnat(column), NEVER, column),
            (date, date(9999, 12, 31)),
        )
    for name, (value, _) in reference.booleans.items():
        feed[name], specs[name] = value, (bool, False)
    for name, (uniques, inverse) in reference.codes.items():
        feed[name] = np.array([u or "" for u in uniques], dtype=object)[inverse].astype(str)
        specs[name] = (str, "")
    for day, (uniques, inverse) in reference.sizes.items():
        name = f"size_class_{day:%Y%m%d}"
        feed[name] = np.array([u or "" for u in uniques], dtype=object)[inverse].astype(str)
        specs[name] = (str, "")
    for name, (kind, default) in specs.items():
        attributes = {
            "value_type": kind,
            "entity": enterprise,
            "definition_period": DateUnit.YEAR,
            "label": name,
            "default_value": default,
        }
        if kind is str:
            attributes["max_length"] = 16
        system.add_variable(type(name, (Variable,), attributes))
    shared = Columns({}, {}, {}, {}, {})
    for i, tree in enumerate(criteria.values()):
        system.add_variable(
            type(
                f"policy_{i}",
                (Variable,),
                {
                    "value_type": bool,
                    "entity": enterprise,
                    "definition_period": DateUnit.YEAR,
                    "label": f"policy {i}",
                    "formula": _formula(tree, shared),
                },
            )
        )
    simulation = SimulationBuilder().build_default_simulation(system, count=len(frame))
    for name, values in feed.items():
        simulation.set_input(name, period, values)
    loaded = time.perf_counter() - started
    results = {name: simulation.calculate(f"policy_{i}", period) for i, name in enumerate(criteria)}
    done = time.perf_counter() - started - loaded
    counts = {n: (int(v.sum()), 0, int(len(v) - v.sum())) for n, v in results.items()}
    note = "二值：缺失取默认值，“可能符合”不存在"
    return Row("OpenFisca-core", loaded, done, peak_mib(), counts, note), results


def _formula(tree: Criteria, shared: Columns) -> Callable[[Any, Any], np.ndarray]:
    """The policy's criteria over the simulation's arrays (two-valued, defaults for missing
    values); the leaf tests are those of the numpy bound, on the columns as OpenFisca gives
    them, prepared once per run in ``shared``."""

    def formula(enterprise: Any, period: Any) -> np.ndarray:
        def get(node: Any) -> np.ndarray:
            _prepare(node, lambda name: enterprise(name, period), shared)
            value, known = leaf_test(node, shared)
            return value & known

        return two_valued(tree, get)

    return formula


def _prepare(node: Any, read: Callable[[str], np.ndarray], cols: Columns) -> None:
    """Add to ``cols`` the variables a condition reads, as OpenFisca gives them: every value
    known (defaults in place of missing ones; 9999-12-31 read back as none)."""
    facts = catalogue().facts
    for name in inputs(node):
        if (
            name in cols.numbers
            or name in cols.dates
            or name in cols.booleans
            or name in cols.codes
        ):
            continue
        kind = facts[name].type
        values = read(name)
        if kind in (FactType.DECIMAL, FactType.INTEGER):
            cols.numbers[name] = values
        elif kind is FactType.DATE:
            cols.dates[name] = np.where(values == NEVER, np.datetime64("NaT"), values)
        elif kind is FactType.BOOLEAN:
            cols.booleans[name] = (values, np.ones(len(values), dtype=bool))
        else:
            uniques, inverse = np.unique(values.astype(str), return_inverse=True)
            cols.codes[name] = ([u or None for u in uniques.tolist()], inverse)
    if isinstance(node, SizeIn) and (node.on or ON) not in cols.sizes:
        day = node.on or ON
        uniques, inverse = np.unique(
            read(f"size_class_{day:%Y%m%d}").astype(str), return_inverse=True
        )
        cols.sizes[day] = ([u or None for u in uniques.tolist()], inverse)


# the per-enterprise loop --------------------------------------------------------------------


def python_loop(
    frame: pl.DataFrame, criteria: Mapping[str, Criteria], sample: int
) -> tuple[Row, list[dict[str, int]]]:
    """``evaluate`` for every policy and enterprise of the first ``sample`` rows, timed and
    extrapolated to the whole population."""
    started = time.perf_counter()
    rows = [checked_facts(r) for r in frame.head(sample).iter_rows(named=True)]
    loaded = time.perf_counter() - started
    found = [
        {
            name: 2 - [True, None, False].index(evaluate(tree, facts, ON).value)
            for name, tree in criteria.items()
        }
        for facts in rows
    ]
    done = time.perf_counter() - started - loaded
    scale = len(frame) / len(rows)
    note = f"外推：实测 {len(rows):,} 户 × {scale:,.0f}（载入 {loaded:.2f} 秒，判断 {done:.2f} 秒）"
    return Row(
        "逐户 Python 循环（外推）", loaded * scale, done * scale, peak_mib(), None, note
    ), found


# the run ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="enterprises (default 1,000,000)")
    parser.add_argument("--policies", type=int, default=200, help="policies (default 200)")
    parser.add_argument("--sample", type=int, default=1_000, help="enterprises of the Python loop")
    parser.add_argument("--seed", type=int, default=20_260_601)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    frame = generate(args.n, seed=args.seed)
    pack = varied_pack(args.policies, args.seed)
    criteria = {p.id: p.criteria for p in pack}
    print(
        f"{args.n:,} 户企业 × {len(criteria)} 项政策，评估日 {ON}；生成名录 {time.perf_counter() - started:.1f} 秒"
    )

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="huiqi-bench-") as scratch:
        parquet = write(frame, Path(scratch, "population.parquet"))
        numpy_row, cols = numpy_bound(frame, criteria)
        rows.append(numpy_row)
        rows.append(huiqi_duckdb(parquet, criteria))
        rows.append(huiqi_sqlite(frame, criteria, Path(scratch)))
    fisca_row, fisca = openfisca(frame, criteria, cols)
    rows.append(fisca_row)
    loop_row, looped = python_loop(frame, criteria, args.sample)
    rows.append(loop_row)

    _print_table(rows, numpy_row)
    _print_agreement(rows, criteria, cols, fisca, looped)
    return 0


def _print_table(rows: Sequence[Row], bound: Row) -> None:
    base = bound.load + bound.evaluate
    print()
    print(
        f"| {'方式':<24} | 载入 s | 判断 s | 合计 s | ×numpy（合计） | ×numpy（判断） | 峰值内存 MiB | 说明 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        total = r.load + r.evaluate
        print(
            f"| {r.name} | {r.load:.2f} | {r.evaluate:.2f} | {total:.2f} | {total / base:.1f} | "
            f"{r.evaluate / bound.evaluate:.1f} | {r.peak:,.0f} | {r.note} |"
        )


def _print_agreement(
    rows: Sequence[Row],
    criteria: Mapping[str, Criteria],
    cols: Columns,
    fisca: Mapping[str, np.ndarray],
    looped: Sequence[Mapping[str, int]],
) -> None:
    by_name = {r.name: r.counts for r in rows if r.counts is not None}
    duck, lite, bound = by_name["huiqi DuckDB"], by_name["huiqi SQLite"], by_name["numpy 下界"]
    print()
    print(
        f"huiqi DuckDB 与 SQLite 计数相同的政策：{sum(duck[n] == lite[n] for n in criteria)}/{len(criteria)}"
    )
    print(
        f"numpy 下界与 huiqi 计数相同的政策：{sum(duck[n] == bound[n] for n in criteria)}/{len(criteria)}"
    )
    same = decided = agree = 0
    for n, tree in criteria.items():
        kleene = degrees(tree, cols)
        same += sum(looped[i][n] == int(kleene[i]) for i in range(len(looped)))
        mask = kleene != 1
        decided += int(mask.sum())
        agree += int(((kleene[mask] == 2) == fisca[n][mask]).sum())
    sampled = [(i, n) for i in range(len(looped)) for n in criteria if looped[i][n] != 1]
    matched = sum((looped[i][n] == 2) == bool(fisca[n][i]) for i, n in sampled)
    print(
        f"OpenFisca 与 huiqi evaluate 在 huiqi 已判定者上结果相同：{matched / len(sampled):.4%}"
        f"（{len(looped):,} 户样本）"
    )
    print(
        f"逐户 evaluate 与 numpy 下界结果相同：{same / (len(looped) * len(criteria)):.4%}（{len(looped):,} 户样本）"
    )
    total = len(next(iter(fisca.values()))) * len(criteria)
    print(
        f"OpenFisca 与 numpy 在已判定者上结果相同：{agree / decided:.4%}"
        f"（已判定：{decided / total:.1%} 的 企业×政策；可能符合者不比较）"
    )


if __name__ == "__main__":
    sys.exit(main())
