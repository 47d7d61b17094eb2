"""``huiqi law …``: the regulation library on the command line.

list · show DOC [ARTICLE] · parse FILE · search QUERY · build
"""

from __future__ import annotations

import argparse
import json
import re
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from huiqi.law import Comparison, Document, Entry, bundled, parse_citation, parse_file, render
from huiqi.law.citations import node_path_label
from huiqi.law.errors import UnknownProvision
from huiqi.law.export import FORMATS, to_akn, to_html, to_json, to_markdown
from huiqi.law.model import Kind, Node
from huiqi.law.search import cached_index

from . import UsageError
from .law_compare import add_compare
from .law_obligations import add_obligations
from .law_search import add_search

_DATE_NAMES = {
    "adopted": "通过",
    "approved": "批准",
    "promulgated": "公布",
    "effective": "施行",
    "revised": "修订",
    "amended": "修正",
    "prepared": "制作",
}


def register(sub: argparse._SubParsersAction) -> None:
    law = sub.add_parser("law", help="法规库：列出、查看、解析、检索法规文本")
    law_sub = law.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = law_sub.add_parser("list", help="列出法规库中的文件")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_list)

    p = law_sub.add_parser("show", help="查看一个文件或其中一条")
    p.add_argument("doc", help="文件编号（或能唯一确定文件的前缀），见 huiqi law list")
    p.add_argument("article", nargs="?", help="条文：43、第十二条第一款第（三）项 或 art_12/para_1")
    p.add_argument("--full", action="store_true", help="显示全文（默认只显示目录）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=cmd_show)

    p = law_sub.add_parser("parse", help="解析任意法规文件（文本、Markdown、.docx）")
    p.add_argument("file")
    p.add_argument("--format", choices=FORMATS, default="json", help="输出格式（默认 json）")
    p.add_argument("--version", type=int, choices=(1, 2), help="修改对照稿取哪一栏：1 左栏，2 右栏")
    p.set_defaults(func=cmd_parse)

    add_search(law_sub)
    add_obligations(law_sub)
    add_compare(law_sub)

    p = law_sub.add_parser("build", help="解析全部内置法规并建立检索索引")
    p.set_defaults(func=cmd_build)


def _dates(entry: Entry) -> str:
    return " ".join(f"{_DATE_NAMES.get(k, k)}{v.isoformat()}" for k, v in entry.dates.items())


def cmd_list(args: argparse.Namespace) -> int:
    lib = bundled()
    if args.json:
        rows = [
            {
                "id": e.id,
                "title": e.display_title,
                "work": e.work,
                "jurisdiction": {"code": e.jurisdiction.code, "name": e.jurisdiction.name},
                "type": e.type,
                "stage": e.stage,
                "dates": {k: v.isoformat() for k, v in e.dates.items()},
                "version_of": e.version_of,
                "articles": len(doc.articles),
            }
            for e, doc in lib.documents()
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    table = Table(title="惠企法规库", show_lines=False)
    for col in ("编号", "标题", "地区", "类别", "阶段", "日期", "条数"):
        table.add_column(col)
    for e, doc in lib.documents():
        table.add_row(
            e.id,
            e.display_title,
            e.jurisdiction.name,
            e.type,
            e.stage,
            _dates(e),
            str(len(doc.articles)),
        )
    Console().print(table)
    return 0


_ARTICLE_NUM = re.compile(r"^(\d+)(?:之(\d+)|[-_](\d+))?$")


def resolve_node(doc: Document, ref: str) -> Node:
    """An article number (43, 10之1), a citation (第十二条第一款) or a node id (art_12/para_1)."""
    ref = ref.strip()
    match = _ARTICLE_NUM.match(ref)
    if match:
        suffix = int(match.group(2) or match.group(3) or 0)
        node_id = f"art_{match.group(1)}" + (f"_{suffix}" if suffix else "")
    elif ref.startswith("art_"):
        node_id = ref
    else:
        node_id = parse_citation(ref)[1]
    node = doc.find(node_id)
    if node is None:
        count = len(doc.articles)
        raise UnknownProvision(f"《{doc.title}》没有{node_path_label(node_id)}（全文共{count}条）")
    return node


def _node_dict(entry: Entry, node: Node) -> dict:
    return {
        "doc": entry.id,
        "node": node.id,
        "citation": render(entry.display_title, node.id),
        "heading": node.heading,
        "text": node.full_text(),
    }


def cmd_show(args: argparse.Namespace) -> int:
    lib = bundled()
    entry = lib.get(args.doc)
    doc = lib.document(entry.id)
    if args.article:
        node = resolve_node(doc, args.article)
        others = [e for e in lib.versions(entry.work) if e.id != entry.id]
        if args.json:
            data = _node_dict(entry, node)
            data["versions"] = [
                {"id": e.id, "title": e.display_title, "stage": e.stage} for e in others
            ]
            print(json.dumps(data, ensure_ascii=False, indent=2))
            return 0
        _print_node(entry, node, others)
        return 0
    if args.json:
        print(to_json(doc, entry))
        return 0
    _print_document(entry, doc, full=args.full)
    return 0


def _print_node(entry: Entry, node: Node, others: list[Entry]) -> None:
    console = Console()
    console.print(f"[bold]{render(entry.display_title, node.id)}[/bold]")
    if node.heading:
        console.print(f"【{node.heading}】", markup=False)
    console.print(_render_text(node), markup=False, highlight=False)
    if others:
        console.print("\n[dim]同一法规的其他版本：[/dim]")
        for e in others:
            console.print(f"[dim]  {e.id}  {e.display_title}[/dim]")


def _render_text(node: Node) -> str:
    """The text below a node, one line per paragraph, items indented under their paragraph."""
    lines: list[str] = []

    def visit(n: Node, depth: int) -> None:
        label = n.label if n.kind in (Kind.ITEM, Kind.SUBITEM) else ""
        if n.kind is not Kind.ARTICLE and (label or n.text):
            lines.append("  " * depth + label + n.text)
        for child in n.children:
            visit(child, depth if n.kind is Kind.ARTICLE else depth + 1)

    visit(node, 0)
    return "\n".join(lines)


def _print_document(entry: Entry, doc: Document, *, full: bool) -> None:
    console = Console()
    console.print(f"[bold]{entry.display_title}[/bold]  [dim]{entry.id}[/dim]")
    console.print(f"{entry.jurisdiction.name} · {entry.type} · {entry.stage} · {_dates(entry)}")
    if entry.note:
        console.print(f"[dim]{entry.note}[/dim]")
    console.print(f"共{len(doc.articles)}条" + (f"，{len(doc.chapters)}章" if doc.chapters else ""))
    for node in doc.walk():
        if node.kind in (Kind.PART, Kind.CHAPTER, Kind.SECTION):
            console.print(f"\n[bold]{node.label} {node.heading or ''}[/bold]")
        elif node.kind is Kind.ARTICLE:
            heading = f"【{node.heading}】" if node.heading else ""
            if full:
                console.print(f"[bold]{node.label}[/bold]{heading}", highlight=False)
                console.print(_render_text(node), markup=False, highlight=False)
            else:
                first = node.paragraphs[0].text[:36] if node.paragraphs else ""
                line = Text(f"  {node.label}{heading} ")
                line.append(f"{first}…", style="dim")
                console.print(line, highlight=False)


def cmd_parse(args: argparse.Namespace) -> int:
    parsed = parse_file(args.file)
    warnings = parsed.warnings + (
        [w for v in parsed.versions for w in v.warnings] if isinstance(parsed, Comparison) else []
    )
    for w in warnings:
        where = f"{args.file}:{w.line}" if w.line else args.file
        print(f"警告：{where}：{w.message}", file=sys.stderr)
    if args.format == "json":
        print(to_json(parsed))
    else:
        doc = _pick_version(parsed, args.version)
        render_fn = {
            "akn": lambda d: to_akn(d).decode("utf-8"),
            "md": to_markdown,
            "html": to_html,
        }[args.format]
        print(render_fn(doc))
    if any(w.is_numbering_problem for w in warnings):
        print(
            f"错误：{args.file}：条号有误（见上方警告），已按原文编号输出，未重新编号",
            file=sys.stderr,
        )
        return 2
    return 0


def _pick_version(parsed: Document | Comparison, version: int | None) -> Document:
    if isinstance(parsed, Document):
        return parsed
    if version is None:
        left, right = parsed.labels
        raise UsageError(
            f"这是修改对照稿，请用 --version 1（{left}）或 --version 2（{right}）选择一栏"
        )
    return parsed.versions[version - 1]


def cmd_build(args: argparse.Namespace) -> int:
    lib = bundled()
    total = 0
    for entry, doc in lib.documents():
        total += len(doc.articles)
        for w in doc.warnings:
            print(f"提示：{entry.id} 第{w.line}行：{w.message}", file=sys.stderr)
    index = cached_index()
    print(f"已解析 {len(lib.entries)} 个文件、{total} 条；检索索引：{index.describe()}")
    return 0
