"""``huiqi law compare A B`` (修改对照稿 of two versions) and ``huiqi law corresponding``
(the provisions of other jurisdictions on a topic or matching an article)."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from huiqi.errors import UserError
from huiqi.law import Comparison, Document, bundled, parse_file
from huiqi.law.compare import (
    align,
    alignment_dict,
    build_sheet,
    sheet_to_docx,
    sheet_to_html,
    sheet_to_markdown,
)
from huiqi.law.compare.corresponding import (
    THRESHOLD,
    Correspondence,
    corresponding,
    parse_reference,
)

from . import UsageError

if TYPE_CHECKING:
    from huiqi.rules.compare_parameters import ParameterComparison

COMPARE_FORMATS = ("md", "html", "docx", "json")


def add_compare(law_sub: argparse._SubParsersAction) -> None:
    """Add ``compare`` and ``corresponding`` to the subcommands of ``huiqi law``."""
    p = law_sub.add_parser(
        "compare",
        help="比较两个版本，生成修改对照稿",
        description="对齐两个版本的条文（相同、修改、重新编号、移动、拆分、合并、增加、删除），"
        "生成修改对照稿：阴影部分为删去或者移动，黑体部分为增加。",
    )
    p.add_argument("old", metavar="A", help="原版本：文件编号，或文件路径；修改对照稿写作 文件#1")
    p.add_argument("new", metavar="B", help="新版本：文件编号，或文件路径；修改对照稿写作 文件#2")
    p.add_argument(
        "--format", choices=COMPARE_FORMATS, default="md", help="输出格式（默认 md；docx 须配 -o）"
    )
    p.add_argument("-o", "--output", metavar="FILE", help="写入此文件（默认输出到屏幕）")
    p.set_defaults(func=cmd_compare)

    p = law_sub.add_parser(
        "corresponding",
        help="跨地区比较：某一主题或某一条在其他法规中的对应条文",
        description="按字符 n 元组 TF-IDF 相似度列出其他法规中的对应条文，"
        "并列出规则包中这些条文所定参数的差异。",
    )
    p.add_argument(
        "query",
        metavar="TOPIC|DOC#NODE",
        help="主题（如 投诉处理、政府采购预留份额、融资担保）或条文（如 220100-sme-promotion-2025-04-03#43）",
    )
    p.add_argument(
        "--threshold", type=float, default=THRESHOLD, help=f"最低相似度（默认 {THRESHOLD}）"
    )
    p.add_argument("--limit", type=int, default=20, help="最多列出几条（默认 20）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_corresponding)


def load_version(ref: str) -> tuple[Document, str]:
    """A document id (or unique prefix), a file, or ``FILE#1`` / ``FILE#2`` for a column of
    a 修改对照稿; with the name its column of the 对照稿 is headed by."""
    path_part, _, column = ref.rpartition("#")
    if path_part and column in ("1", "2") and Path(path_part).exists():
        parsed = parse_file(path_part)
        if not isinstance(parsed, Comparison):
            raise UsageError(
                f"{path_part} 不是修改对照稿，不能用 #{column} 选择一栏；请直接写文件名"
            )
        return parsed.versions[int(column) - 1], parsed.labels[int(column) - 1]
    if Path(ref).exists():
        parsed = parse_file(ref)
        if isinstance(parsed, Comparison):
            left, right = parsed.labels
            raise UsageError(
                f"{ref} 是修改对照稿，请写作 {ref}#1（{left}）或 {ref}#2（{right}）选择一栏"
            )
        return parsed, parsed.title or Path(ref).name
    if "/" in ref or ref.endswith((".txt", ".md", ".docx")):
        raise UsageError(f"找不到文件“{ref}”")
    lib = bundled()
    entry = lib.get(ref)
    return lib.document(entry.id), entry.display_title


def cmd_compare(args: argparse.Namespace) -> int:
    if args.format == "docx" and not args.output:
        raise UsageError("docx 格式须用 -o 指定输出文件，例如 -o 对照稿.docx")
    old, old_name = load_version(args.old)
    new, new_name = load_version(args.new)
    alignment = align(old, new)
    if args.format == "json":
        data: str | bytes = json.dumps(
            alignment_dict(alignment, old_name, new_name), ensure_ascii=False, indent=2
        )
    else:
        sheet = build_sheet(alignment, (old_name, new_name), title=f"{new_name}修改对照稿")
        render = {"md": sheet_to_markdown, "html": sheet_to_html, "docx": sheet_to_docx}
        data = render[args.format](sheet)
    if args.output:
        target = Path(args.output)
        try:
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data + ("" if data.endswith("\n") else "\n"), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"无法写入 {target}：{exc.strerror}") from None
        print(f"已写入 {target}", file=sys.stderr)
    else:
        assert isinstance(data, str)
        print(data, end="" if data.endswith("\n") else "\n")
    return 0


def _seeds(query: str) -> list[tuple[str, str]]:
    """The full-text search's best hits for a topic (they expand it); none if the search
    finds nothing or cannot run its query."""
    from huiqi.law.search import cached_index

    try:
        with cached_index() as index:
            return [(h.doc, h.node) for h in index.search(query, limit=5)]
    except (UserError, OSError, sqlite3.Error):  # the expansion is optional
        return []


def cmd_corresponding(args: argparse.Namespace) -> int:
    from huiqi.rules.compare_parameters import compare_for

    if args.limit < 1:
        raise UsageError(f"--limit 须为正整数，而不是“{args.limit}”")
    if not 0 <= args.threshold <= 1:
        raise UsageError(f"--threshold 须在 0 与 1 之间，而不是“{args.threshold}”")
    query = args.query.strip()
    if not query:
        raise UsageError("请给出主题或条文（文件编号#条）")
    seeds = [] if parse_reference(query) else _seeds(query)
    result = corresponding(query, threshold=args.threshold, limit=args.limit, seeds=seeds)
    parameters = compare_for(result)
    if args.json:
        out = result.as_dict()
        out["parameters"] = [p.as_dict() for p in parameters]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    _print_corresponding(result, parameters)
    return 0


def _print_corresponding(result: Correspondence, parameters: list[ParameterComparison]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    title = f"与{result.query}对应的条文" if result.source else f"主题“{result.query}”的对应条文"
    if not result.matches:
        console.print(f"{title}：没有相似度达到阈值的条文。", highlight=False)
    else:
        table = Table(title=title, title_justify="left")
        table.add_column("相似度", justify="right")
        table.add_column("地区")
        table.add_column("条文", overflow="fold")
        table.add_column("摘录", overflow="fold", ratio=1)
        for m in result.matches:
            table.add_row(f"{m.score:.2f}", m.jurisdiction_name, m.citation, m.text[:80])
        console.print(table)
    for p in parameters:
        table = Table(
            title=f"参数：{p.label}" + ("（各地不同）" if p.differs else ""), title_justify="left"
        )
        table.add_column("地区")
        table.add_column("取值", style="bold" if p.differs else None)
        table.add_column("出处", overflow="fold")
        for v in p.values:
            where = v.citation + ("（草案）" if v.draft else "")
            table.add_row(v.jurisdiction_name, v.value, where)
        console.print(table)
