"""The 修改对照稿 as a standalone HTML page (or the table alone, for a page's layout)."""

from __future__ import annotations

from html import escape

from .diff import Mark, Segment
from .sheet import Cell, Sheet

CSS = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
  "PingFang SC", "Microsoft YaHei", sans-serif; line-height: 1.8; margin: 2em auto;
  max-width: 72em; padding: 0 1em; color: #111; }
h1 { text-align: center; font-size: 1.4em; }
p.legend { text-align: center; }
table.duizhao { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.duizhao th, table.duizhao td { border: 1px solid #444; padding: .4em .6em;
  vertical-align: top; width: 50%; }
table.duizhao th { background: #eee; }
table.duizhao p { margin: 0 0 .3em; text-indent: 2em; }
table.duizhao p.head { text-indent: 0; }
.del { background: #c8c8c8; }
.add { font-weight: bold; }
.note { font-style: normal; color: #333; }
.label { font-weight: bold; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  tr { page-break-inside: avoid; }
  .del { background: #c8c8c8 !important; -webkit-print-color-adjust: exact;
    print-color-adjust: exact; }
}
"""


def sheet_table(sheet: Sheet) -> str:
    """The ``<table>`` alone: two columns headed by the versions' names."""
    out = [
        '<table class="duizhao">',
        f"<thead><tr><th>{escape(sheet.labels[0])}</th><th>{escape(sheet.labels[1])}</th></tr>"
        "</thead>",
        "<tbody>",
    ]
    for row in sheet.rows:
        out.append(
            f'<tr data-relation="{row.relation.value}">'
            f"<td>{_cell(row.old)}</td><td>{_cell(row.new)}</td></tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def sheet_to_html(sheet: Sheet) -> str:
    """A page that opens in any browser and prints on A4."""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            f"<title>{escape(sheet.title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            f"<h1>{escape(sheet.title)}</h1>",
            f'<p class="legend">（{legend_html(sheet.legend)}）</p>',
            sheet_table(sheet),
            "</body>",
            "</html>",
        ]
    )


def legend_html(legend: str) -> str:
    """The legend with its own words marked the way it describes them."""
    return (
        escape(legend)
        .replace("阴影部分", '<span class="del">阴影部分</span>', 1)
        .replace("黑体部分", '<span class="add">黑体部分</span>', 1)
    )


def _cell(cell: Cell | None) -> str:
    if cell is None:
        return ""
    head = f'<span class="label">{escape(cell.label)}</span>{_segments(cell.heading)}'
    lines = [f'<p class="head">{head}</p>'] if not cell.lines else []
    for k, line in enumerate(cell.lines):
        body = _segments(line)
        if k == 0:
            lines.append(f"<p>{head}　{body}</p>")
        else:
            lines.append(f"<p>{body}</p>")
    return "".join(lines)


def _segments(segments: list[Segment]) -> str:
    out = []
    for seg in segments:
        text = escape(seg.text)
        if seg.mark is Mark.DELETED:
            out.append(f'<span class="del">{text}</span>')
        elif seg.mark is Mark.ADDED:
            out.append(f'<b class="add">{text}</b>')
        elif seg.mark is Mark.NOTE:
            out.append(f'<span class="note">{text}</span>')
        else:
            out.append(text)
    return "".join(out)
