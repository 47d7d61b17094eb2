"""``huiqi law search QUERY``: full-text search of the regulation library's articles.

The index is kept in the data directory (``$HUIQI_DATA_DIR``, else ``~/.local/share/huiqi``)
and rebuilt by itself when the bundled corpus or the index format changes.
"""

from __future__ import annotations

import argparse
import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from huiqi.law.search import Hit, cached_index

from . import UsageError

HIGHLIGHT_STYLE = "bold red"


def add_search(law_sub: argparse._SubParsersAction) -> None:
    """Add ``search`` to the subcommands of ``huiqi law``."""
    p = law_sub.add_parser(
        "search",
        help="全文检索法规条文",
        description="在内置法规库中检索条文。以空格分隔的多个检索词须同时出现；"
        "一两个字的词（如“投诉”“税”）也能检索。",
    )
    p.add_argument("query", nargs="+", metavar="QUERY", help="检索词，例如：投诉 或 融资 担保")
    p.add_argument("--jurisdiction", metavar="CODE", help="只查此行政区划：代码（430000）或名称")
    p.add_argument("--doc", metavar="ID", help="只查此文件：编号或能唯一确定文件的前缀")
    p.add_argument("--stage", metavar="STAGE", help="只查此阶段：征求意见稿、修订草案、通过……")
    p.add_argument("--limit", metavar="N", default="10", help="最多显示几条（默认 10）")
    p.add_argument("--json", action="store_true", help="输出 JSON 列表，最相关的在前")
    p.set_defaults(func=cmd_search)


def _limit(value: str) -> int:
    try:
        limit = int(value)
    except ValueError:
        limit = 0
    if limit < 1:
        raise UsageError(f"--limit 须为正整数，而不是“{value}”")
    return limit


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    limit = _limit(args.limit)
    with cached_index() as index:
        hits = index.search(
            query, jurisdiction=args.jurisdiction, doc=args.doc, stage=args.stage, limit=limit
        )
    if args.json:
        print(json.dumps([hit.as_dict() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    console = Console()
    if not hits:
        console.print(f"没有找到包含“{query}”的条文。", highlight=False)
        return 0
    table = Table(title=f"检索“{query}”：前 {len(hits)} 条", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("条文", overflow="fold")
    table.add_column("条旨", overflow="fold")
    table.add_column("摘录", overflow="fold", ratio=1)
    for rank, hit in enumerate(hits, 1):
        table.add_row(
            str(rank),
            Text(hit.citation).append(f"\n{hit.doc}", style="dim"),
            hit.heading or "",
            _snippet(hit, plain=not console.color_system),
        )
    console.print(table)
    return 0


def _snippet(hit: Hit, *, plain: bool) -> Text:
    """The snippet with its matches in colour, or between « » where colour is not shown."""
    if plain:
        return Text(hit.marked())
    text = Text(hit.snippet)
    for start, end in hit.highlights:
        text.stylize(HIGHLIGHT_STYLE, start, end)
    return text
