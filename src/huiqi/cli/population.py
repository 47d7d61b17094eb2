"""``huiqi population generate``: a synthetic registry of enterprises for demos and benchmarks.

huiqi population generate --count 20000 --seed 1 [--city 220100] [--year 2025] [--on DATE]
    --out demo.parquet|demo.csv|demo.sqlite
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from rich.console import Console
from rich.table import Table

from huiqi.population.cities import CITIES, city
from huiqi.population.formats import SUFFIXES, format_of
from huiqi.rules.size import SizeClass

from . import UsageError
from .rules_input import parse_date, parse_int


def register(sub: argparse._SubParsersAction) -> None:
    population = sub.add_parser("population", help="企业名录：生成合成的企业数据（演示、测试用）")
    commands = population.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = commands.add_parser(
        "generate",
        help="生成合成的企业名录（非真实企业）",
        description="按随机种子生成可重现的合成企业名录：行业、规模、区县、成立日期、资质、"
        "统一社会信用代码等；数据为虚构，仅供演示和测试。",
    )
    p.add_argument("--count", required=True, help="企业数，如 20000")
    p.add_argument("--seed", required=True, help="随机种子（非负整数）：相同的种子生成相同的数据")
    cities = "、".join(f"{c.code} {c.name}" for c in CITIES.values())
    p.add_argument("--city", default="220100", help=f"城市的行政区划代码（可用：{cities}）")
    p.add_argument("--year", default="2025", help="财务数据所属年度（默认 2025）")
    p.add_argument(
        "--on", help="名录日期：登记、资质等数据截至的日期（默认为该年度的 12 月 31 日）"
    )
    p.add_argument("--out", required=True, help=f"输出文件，格式由后缀决定：{'、'.join(SUFFIXES)}")
    p.set_defaults(func=cmd_generate)


def cmd_generate(args: argparse.Namespace) -> int:
    count = _whole(args.count, "--count")
    seed = _whole(args.seed, "--seed")
    year = _whole(args.year, "--year")
    on = parse_date(args.on, "--on") or date(year, 12, 31)
    out = Path(args.out)
    kind = format_of(out)
    place = city(args.city)
    # polars and numpy load only for this command, not for every huiqi command
    from huiqi.population.io import write
    from huiqi.population.size import NOT_COVERED, UNKNOWN, size_mix
    from huiqi.population.synthetic import generate

    started = time.perf_counter()
    population = generate(count, seed=seed, city=place.code, year=year, on=on)
    generated = time.perf_counter()
    write(population, out)
    written = time.perf_counter()

    console = Console(soft_wrap=True)
    console.print(
        f"已生成 {count:,} 家合成企业：{place.name}，{year} 年度财务数据，"
        f"名录日期 {on.isoformat()}，随机种子 {seed}"
    )
    console.print("数据为虚构，仅供演示和测试")
    size = out.stat().st_size / 1024 / 1024
    console.print(f"已写入 {out}（{kind.label}，{size:.1f} MB）")
    console.print(f"用时：生成 {generated - started:.2f} 秒，写入 {written - generated:.2f} 秒")
    table = Table(title=f"企业规模（按 {on.isoformat()} 施行的划型标准）")
    table.add_column("企业规模")
    table.add_column("企业数", justify="right")
    table.add_column("占比", justify="right")
    labels = {s.value: s.label for s in SizeClass}
    labels |= {UNKNOWN: "无法判定（缺少数据）", NOT_COVERED: "不适用划型标准"}
    for status, number in size_mix(population, on).items():
        share = number / count if count else 0.0
        table.add_row(labels[status], f"{number:,}", f"{share:.1%}")
    console.print(table)
    return 0


def _whole(text: str, name: str) -> int:
    value = parse_int(text, name)
    if value is None or value < 0:
        raise UsageError(f"{name} 应当是非负整数，而不是“{text}”")
    return value
