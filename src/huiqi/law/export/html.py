"""A standalone HTML5 page for reading and printing one document: no scripts, fonts or other
external resources. Each division, article, 款, 项 and 目 carries its node id as ``id``
(``art_12/para_1/item_3`` — valid in HTML5, and the same string a citation holds), so
``#art_43`` links to 第四十三条."""

from __future__ import annotations

from html import escape

from ..library import Entry
from ..model import DIVISION_KINDS, Document, Kind, Node
from ._common import DATE_NAMES, articles_below, display_title

_CSS = """
body { font-family: serif; line-height: 1.8; max-width: 46em; margin: 2em auto; padding: 0 1em;
  color: #111; background: #fff; }
h1 { text-align: center; font-size: 1.6em; margin-bottom: .2em; }
.stage, .preamble { text-align: center; margin: .2em 0; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em;
  border-top: 1px solid #999; border-bottom: 1px solid #999; padding: .5em 0; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
nav ol { list-style: none; padding-left: 1em; }
.division-heading { text-align: center; }
.article-heading { font-size: 1em; margin: 1em 0 0; }
article p { margin: .3em 0; text-indent: 2em; }
ol.items, ol.subitems { list-style: none; margin: .2em 0; padding-left: 2em; }
ul.notes { font-size: .9em; color: #444; }
a { color: inherit; }
@media print {
  body { max-width: none; margin: 0; }
  nav { break-after: page; }
  .article-heading { break-after: avoid; }
  a { text-decoration: none; }
}
""".strip()


def document_to_html(doc: Document, entry: Entry | None = None) -> str:
    """The document as one HTML page (a string, starting with ``<!DOCTYPE html>``)."""
    title = display_title(doc, entry) or "未命名文件"
    body = "\n".join(_node(node, 2) for node in doc.body)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>\n{_CSS}\n</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{escape(title)}</h1>",
            *_preamble(doc, title),
            _metadata(doc, entry),
            "</header>",
            _contents(doc),
            f"<main>\n{body}\n</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def _preamble(doc: Document, title: str) -> list[str]:
    out = [f'<p class="stage">（{escape(doc.stage_note)}）</p>'] if doc.stage_note else []
    for line in doc.header:
        if line != title and not (doc.stage_note and doc.stage_note in line):
            out.append(f'<p class="preamble">{escape(line)}</p>')
    return out


def _metadata(doc: Document, entry: Entry | None) -> str:
    rows: list[tuple[str, str]] = []
    if entry is not None:
        rows.append(("行政区域", entry.jurisdiction.name))
        rows.append(("类别", entry.type))
        rows.append(("阶段", entry.stage))
        if entry.issuer:
            rows.append(("制定机关", entry.issuer))
        if entry.number:
            rows.append(("文号", entry.number))
        dates = sorted(entry.dates.items(), key=lambda kv: kv[1])
    else:
        dates = [(e.kind, e.on) for e in doc.events]
    for kind, on in dates:
        rows.append((f"{DATE_NAMES.get(kind, kind)}日期", f"{on.year}年{on.month}月{on.day}日"))
    if entry is not None and entry.note:
        rows.append(("说明", entry.note))
    if not rows:
        return ""
    cells = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return f'<dl class="meta">{cells}</dl>'


def _contents(doc: Document) -> str:
    """目录: the 编/章/节 with the articles each spans, or the articles when there are none."""
    top = [n for n in doc.body if n.kind in DIVISION_KINDS]
    if top:
        entries = "".join(_toc_division(n) for n in top)
    else:
        entries = "".join(
            f'<li><a href="#{escape(a.id)}">{_article_title(a)}</a></li>' for a in doc.articles
        )
    if not entries:
        return ""
    return f'<nav aria-labelledby="toc">\n<h2 id="toc">目录</h2>\n<ol>{entries}</ol>\n</nav>'


def _toc_division(node: Node) -> str:
    label = escape(f"{node.label} {node.heading}" if node.heading else node.label)
    arts = articles_below(node)
    span = ""
    if arts:
        span = (
            f"（{arts[0].label}）" if len(arts) == 1 else f"（{arts[0].label}至{arts[-1].label}）"
        )
    subs = [c for c in node.children if c.kind in DIVISION_KINDS]
    inner = f"<ol>{''.join(_toc_division(c) for c in subs)}</ol>" if subs else ""
    return f'<li><a href="#{escape(node.id)}">{label}</a>{escape(span)}{inner}</li>'


def _article_title(article: Node) -> str:
    heading = f"【{article.heading}】" if article.heading else ""
    return escape(article.label + heading)


def _node(node: Node, level: int) -> str:
    if node.kind in DIVISION_KINDS:
        head_id = f"{node.id}-heading"
        text = f"{node.label} {node.heading}" if node.heading else node.label
        children = "\n".join(_node(c, level + 1) for c in node.children)
        return (
            f'<section id="{escape(node.id)}" aria-labelledby="{escape(head_id)}">\n'
            f'<h{min(level, 6)} id="{escape(head_id)}" class="division-heading">'
            f"{escape(text)}</h{min(level, 6)}>\n{children}\n</section>"
        )
    return _article(node, min(level, 6))


def _article(article: Node, level: int) -> str:
    parts = [
        f'<article id="{escape(article.id)}">',
        f'<h{level} class="article-heading">{_article_title(article)}</h{level}>',
    ]
    for para in article.paragraphs:
        if not para.items:
            parts.append(f'<p id="{escape(para.id)}">{escape(para.text)}</p>')
            continue
        lead = f"<p>{escape(para.text)}</p>" if para.text else ""
        items = _list(para.items, "items")
        parts.append(f'<div id="{escape(para.id)}" class="paragraph">{lead}{items}</div>')
    notes = [note for node in article.walk() for note in node.notes]
    if notes:
        rows = "".join(
            f"<li>{escape(_where(article, n.node))}：{escape(n.text)}</li>" for n in notes
        )
        parts.append(f'<ul class="notes" aria-label="编辑说明">{rows}</ul>')
    parts.append("</article>")
    return "\n".join(parts)


def _where(article: Node, node_id: str) -> str:
    """第十条第一款第（七）项: the labels of the nodes on the path to ``node_id``."""
    out = []
    for node in article.walk():
        if node_id == node.id or node_id.startswith(f"{node.id}/"):
            if node.kind is Kind.ITEM:
                out.append(f"第{node.label}项")
            elif node.kind is Kind.SUBITEM:
                out.append(f"第{node.num}目")
            else:
                out.append(node.label)
    return "".join(out)


def _list(nodes: list[Node], css: str) -> str:
    rows = []
    for node in nodes:
        subs = [c for c in node.children if c.kind is Kind.SUBITEM]
        inner = _list(subs, "subitems") if subs else ""
        rows.append(
            f'<li id="{escape(node.id)}">{escape(node.label)}{escape(node.text)}{inner}</li>'
        )
    return f'<ol class="{css}">{"".join(rows)}</ol>'
