"""``huiqi screen``: a whole registry against the policy list, inside the database engine
(免申即享, 长春 条例 第三十五条) — per policy how many enterprises are eligible, possibly
eligible, not eligible, and optionally every enterprise's result with its compact code.

huiqi screen --population FILE --policies PACK [--on DATE] [--engine sqlite|duckdb] [--out FILE]

Each policy is screened over the enterprises of its jurisdiction (the 行政区划代码 of their
district lies within it; national policies: every enterprise), and only if it is open on the
date, as :func:`huiqi.rules.policies.match` does for one enterprise.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlglot import exp

from huiqi.rules.criteria import Eligibility, PolicyScreen, screen
from huiqi.rules.criteria.screen import DEGREES
from huiqi.rules.criteria.semantics import district_prefix
from huiqi.rules.jurisdictions import NATIONAL
from huiqi.rules.policies import Policy, bundled_policies, load_policies, rule_set_version

from . import UsageError
from .rules_input import parse_date

ENGINES = ("sqlite", "duckdb")
OUT_SUFFIXES = (".parquet", ".csv", ".sqlite")
RESULTS_TABLE = "results"
"""The table of ``--out`` in a SQLite file."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "screen",
        help="政策筛查：整个企业名录逐项政策判断符合、可能符合、不符合（免申即享）",
        description="在数据库引擎内按政策条件筛查企业名录（不逐户循环），"
        "输出每项政策的符合、可能符合、不符合户数；可将每户结果（含结果代码）写入文件。",
    )
    p.add_argument("--population", required=True, help="企业名录文件：.parquet、.csv、.sqlite")
    p.add_argument("--policies", required=True, help="bundled（内置示例政策）或政策文件、目录")
    p.add_argument("--on", help="筛查日期（默认今天），如 2026-06-01")
    p.add_argument(
        "--engine", choices=ENGINES, help="数据库引擎（默认：.sqlite 用 sqlite，其余 duckdb）"
    )
    p.add_argument("--out", help="每户结果写入的文件：.parquet、.csv、.sqlite")
    p.set_defaults(func=cmd_screen)


@dataclass(frozen=True)
class PolicyResult:
    """One policy's screening: its results over the enterprises of its jurisdiction and the
    seconds its scan took (a scan screens a batch of policies; its time is shared evenly)."""

    policy: Policy
    screened: PolicyScreen
    seconds: float


def cmd_screen(args: argparse.Namespace) -> int:
    from huiqi.population import read

    on = parse_date(args.on, "--on") or date.today()
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() not in OUT_SUFFIXES:
        raise UsageError(
            f"无法识别结果文件“{out}”的格式：文件名应当以 {'、'.join(OUT_SUFFIXES)} 结尾"
        )
    pack = _pack(args.policies)
    population = Path(args.population)
    started = time.perf_counter()
    frame = read(population)
    engine = args.engine or ("sqlite" if population.suffix.lower() == ".sqlite" else "duckdb")
    open_policies = [p for p in pack if p.window.is_open(on)]
    console = Console(stderr=True)
    with _connected(population, frame, engine) as connection:
        loaded = time.perf_counter() - started
        results = _screened(connection, engine, open_policies, on, console)
    if out is not None:
        write_results(results, out)
    _show(results, pack, on, engine, len(frame), loaded, time.perf_counter() - started, out)
    return 0


def _pack(name: str) -> tuple[Policy, ...]:
    if name == "bundled":
        return bundled_policies()
    if not Path(name).exists():
        raise UsageError(f"找不到政策包“{name}”：应为 bundled（内置示例政策）或政策文件、目录")
    return load_policies(name)


@contextmanager
def _connected(population: Path, frame: Any, engine: str) -> Iterator[Any]:
    """A connection holding the population as table ``enterprises``: the file itself when the
    engine reads it, else a copy in a temporary file the engine reads."""
    from huiqi.population import TABLE, write

    with tempfile.TemporaryDirectory(prefix="huiqi-screen-") as scratch:
        suffix = population.suffix.lower()
        if engine == "sqlite":
            source = population if suffix == ".sqlite" else write(frame, Path(scratch, "p.sqlite"))
            connection: Any = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        else:
            import duckdb

            source = population
            if suffix != ".parquet":
                source = Path(scratch, "p.parquet")
                frame.write_parquet(source)
            connection = duckdb.connect()
            connection.read_parquet(str(source)).create_view(TABLE)
        try:
            yield connection
        finally:
            connection.close()


def _screened(
    connection: Any, engine: str, policies: Sequence[Policy], on: date, console: Console
) -> list[PolicyResult]:
    """Every policy screened over the enterprises of its jurisdiction, in pack order."""
    by_jurisdiction: dict[str, list[Policy]] = {}
    for policy in policies:
        by_jurisdiction.setdefault(policy.jurisdiction, []).append(policy)
    found: dict[str, PolicyResult] = {}
    columns = (
        TextColumn("筛查"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("项政策"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("screen", total=len(policies))
        for code, group in by_jurisdiction.items():
            table = _jurisdiction_view(connection, engine, code)
            timer = _BatchTimer(lambda done: progress.advance(task, done))
            screening = screen(
                connection,
                {p.id: p.criteria for p in group},
                on,
                engine=engine,
                table=table,
                progress=timer,
            )
            for i, policy in enumerate(group):
                found[policy.id] = PolicyResult(policy, screening[policy.id], timer.seconds[i])
    return [found[p.id] for p in policies]


class _BatchTimer:
    """The progress callback of :func:`screen`: the seconds of each batch, shared evenly
    among its policies, and the progress bar advanced."""

    def __init__(self, advance: Callable[[int], None]) -> None:
        self.seconds: list[float] = []
        self._advance = advance
        self._last = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        batch = done - len(self.seconds)
        self.seconds.extend([(now - self._last) / batch] * batch)
        self._last = now
        self._advance(batch)


def _jurisdiction_view(connection: Any, engine: str, code: str) -> str:
    """The table of the enterprises of jurisdiction ``code``: a temporary view of those whose
    district lies within it; the whole population for national policies."""
    from huiqi.population import TABLE

    if code == NATIONAL:
        return TABLE
    view = f"{TABLE}_{code}"
    within = exp.column("district").like(exp.Literal.string(district_prefix(code) + "%"))
    query = exp.select(exp.Star()).from_(exp.to_table(TABLE)).where(within)
    create = exp.Create(
        this=exp.to_table(view),
        kind="VIEW",
        expression=query,
        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
    )
    connection.execute(create.sql(dialect=engine))
    return view


def write_results(results: Sequence[PolicyResult], out: Path) -> None:
    """Every enterprise's result per policy (uscc, policy, policy_version, content_hash,
    status, code) to ``out`` in the format of its suffix, atomically: a temporary file
    replaces ``out`` only once complete."""
    import polars as pl

    from huiqi.population import PopulationError, replacing

    statuses = pl.Series([e.value for e in DEGREES])
    frames = [
        pl.DataFrame(
            {
                "uscc": pl.Series(r.screened.uscc, dtype=pl.String),
                "status": statuses.gather(pl.Series(r.screened.values, dtype=pl.Int8)),
                "code": pl.Series(r.screened.codes, dtype=pl.Int64),
            }
        ).select(
            "uscc",
            policy=pl.lit(r.policy.id),
            policy_version=pl.lit(r.policy.version, dtype=pl.Int64),
            content_hash=pl.lit(r.policy.content_hash),
            status="status",
            code="code",
        )
        for r in results
    ]
    frame = pl.concat(frames) if frames else _empty_results()
    try:
        with replacing(out) as part:
            suffix = out.suffix.lower()
            if suffix == ".parquet":
                frame.write_parquet(part)
            elif suffix == ".csv":
                frame.write_csv(part)
            else:
                _write_sqlite(frame, part)
    except OSError as exc:
        raise PopulationError(f"无法写入结果文件“{out}”：{exc.strerror or exc}") from exc


def _empty_results() -> Any:
    import polars as pl

    return pl.DataFrame(
        schema={
            "uscc": pl.String,
            "policy": pl.String,
            "policy_version": pl.Int64,
            "content_hash": pl.String,
            "status": pl.String,
            "code": pl.Int64,
        }
    )


def _write_sqlite(frame: Any, path: Path) -> None:
    columns = [
        exp.ColumnDef(this=exp.to_identifier(name), kind=exp.DataType.build(kind))
        for name, kind in (
            ("uscc", "TEXT"),
            ("policy", "TEXT"),
            ("policy_version", "INTEGER"),
            ("content_hash", "TEXT"),
            ("status", "TEXT"),
            ("code", "INTEGER"),
        )
    ]
    create = exp.Create(
        this=exp.Schema(this=exp.to_table(RESULTS_TABLE), expressions=columns), kind="TABLE"
    )
    insert = exp.insert(
        exp.values([tuple(exp.Placeholder() for _ in frame.columns)]), RESULTS_TABLE
    )
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(create.sql(dialect="sqlite"))
            connection.executemany(insert.sql(dialect="sqlite"), frame.iter_rows())
    finally:
        connection.close()


def _show(
    results: Sequence[PolicyResult],
    pack: Sequence[Policy],
    on: date,
    engine: str,
    population: int,
    loaded: float,
    total: float,
    out: Path | None,
) -> None:
    console = Console()
    table = Table(title=f"政策筛查 {on.isoformat()}（{engine}，{population:,} 户企业）")
    table.add_column("政策")
    table.add_column("适用地区")
    for e in Eligibility:
        table.add_column(e.label, justify="right")
    table.add_column("耗时（秒）", justify="right")
    table.add_column("版本")
    for r in results:
        counts = r.screened.counts()
        table.add_row(
            f"{r.policy.id}\n{r.policy.title}",
            r.policy.jurisdiction,
            *(f"{counts[e]:,}" for e in Eligibility),
            f"{r.seconds:.3f}",
            f"v{r.policy.version} {r.policy.content_hash}",
        )
    console.print(table)
    skipped = len(pack) - len(results)
    if skipped:
        console.print(f"未筛查 {skipped} 项政策：{on.isoformat()} 不在其申报期或有效期内")
    console.print(f"规则集版本：{rule_set_version([r.policy for r in results])}")
    console.print(f"读取名录 {loaded:.2f} 秒；合计 {total:.2f} 秒")
    if out is not None:
        console.print(f"每户结果已写入：{out}")
