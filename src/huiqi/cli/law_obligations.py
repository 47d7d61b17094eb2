"""``huiqi law obligations DOC``: the register of obligations of one document — who must,
must not, may or is encouraged to do what, by when — as a table, CSV, Excel or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from huiqi.law.obligations import register_for
from huiqi.law.obligations.export import csv_bytes, rows, to_json, to_xlsx

from . import UsageError


def add_obligations(law_sub: argparse._SubParsersAction) -> None:
    """Add ``obligations`` to the subcommands of ``huiqi law``."""
    p = law_sub.add_parser(
        "obligations",
        help="义务清单：谁应当、不得、可以、被鼓励做什么，期限多长",
        description="从法规文本中逐条提取义务：义务主体、情态（应当/不得/可以/鼓励）、行为、期限。",
    )
    p.add_argument(
        "doc",
        help="文件编号（或能唯一确定文件的前缀），或任意法规文件；修改对照稿写 FILE#1 / FILE#2",
    )
    p.add_argument(
        "--format",
        choices=("table", "csv", "xlsx", "json"),
        default="table",
        help="输出格式（默认 table）",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="写入文件（xlsx 必须指定）")
    p.add_argument("--by", choices=("bearer",), help="按义务主体归并")
    p.set_defaults(func=cmd_obligations)


def cmd_obligations(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise UsageError("Excel 格式须用 -o 指定输出文件，例如：-o 义务清单.xlsx")
    register = register_for(args.doc)
    if args.format == "xlsx":
        data = to_xlsx(register)
    elif args.format == "csv":
        data = csv_bytes(register, by=args.by)
    elif args.format == "json":
        data = (to_json(register, by=args.by) + "\n").encode("utf-8")
    else:
        if args.output:
            raise UsageError("table 格式只输出到终端；写入文件请用 --format csv、xlsx 或 json")
        _print_table(register, by=args.by)
        return 0
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"无法写入 {args.output}：{exc.strerror}") from exc
        print(f"已写出 {len(register.obligations)} 项义务：{args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _print_table(register, *, by: str | None) -> None:
    headers, body = rows(register, by=by)
    table = Table(
        title=f"{register.title or register.doc_id}：义务 {len(register.obligations)} 项",
        title_justify="left",
    )
    for header in headers:
        if header != "原文":
            table.add_column(header, overflow="fold")
    keep = [i for i, h in enumerate(headers) if h != "原文"]
    for values in body:
        table.add_row(*(values[i] for i in keep))
    Console().print(table)
