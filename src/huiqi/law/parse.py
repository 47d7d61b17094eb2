"""Parse a legal text — plain text extracted from PDF/Word, LawRefBook Markdown, or .docx —
into a :class:`Document` (or a :class:`Comparison` for a 修改对照稿)."""

from __future__ import annotations

from pathlib import Path

from .comparison import is_comparison, parse_comparison
from .decode import decode_bytes
from .errors import InputError, ParseError
from .header import effective_from_text, find_events, find_title, is_footer, join_parenthesised
from .model import Comparison, DateEvent, Document, Kind
from .readers import RawLine, docx_lines, markdown_lines, text_lines
from .structure import ARTICLE_RE, Line, TreeBuilder, is_structural, match_division, starts_item
from .text import ends_terminal, is_furniture, squeeze_spaces

_PDF_MODE_RATIO = 0.6
_NEVER_STARTS_A_LINE = (
    "。；：，、！？）」』】》”’"  # 避头: typesetting never starts a line with these
)


def parse_file(path: str | Path) -> Document | Comparison:
    """Read and parse a file; ``.docx`` through python-docx, anything else as text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("找不到文件", source=str(path)) from exc
    except (IsADirectoryError, PermissionError) as exc:
        raise InputError(f"无法读取文件（{exc.strerror}）", source=str(path)) from exc
    return parse_bytes(data, source=str(path), docx=path.suffix.lower() == ".docx")


def parse_bytes(
    data: bytes, source: str | None = None, docx: bool = False
) -> Document | Comparison:
    if docx:
        return parse_lines(docx_lines(data, source), source)
    text, _encoding = decode_bytes(data, source)
    return parse_text(text, source)


def parse_text(text: str, source: str | None = None) -> Document | Comparison:
    if text.lstrip("\ufeff").lstrip().startswith("# ") or "<!-- INFO END -->" in text:
        return parse_lines(markdown_lines(text), source)
    return parse_lines(text_lines(text), source)


def parse_lines(raw: list[RawLine], source: str | None = None) -> Document | Comparison:
    """The common path: header, body in logical lines, tree."""
    if not any(line.text.strip() for line in raw):
        raise ParseError("文件为空，没有可解析的内容", source=source)
    if is_comparison(raw):
        return parse_comparison(raw, source)
    lines = [
        RawLine(r.num, r.text.strip(), r.role)
        for r in raw
        if r.text.strip() and not is_furniture(r.text)
    ]
    footer = [r for r in lines if is_footer(r.text)]
    lines = [r for r in lines if not is_footer(r.text)]
    title_lines = [r.text for r in lines if r.role == "title"]
    header = [r for r in lines if r.role == "header"]
    body = [r for r in lines if r.role == "body"]
    start = next((i for i, r in enumerate(body) if is_structural(r.text)), None)
    if start is None:
        raise ParseError(
            "没有找到任何条文：法规正文应以“第一条”“第二条”……开头（章节标题形如“第一章”）",
            source=source,
            line=body[0].num if body else None,
        )
    header_text = join_parenthesised([squeeze_spaces(r.text) for r in [*header, *body[:start]]])
    title, stage = find_title(header_text)
    if title_lines:
        title = title_lines[0]
    builder = TreeBuilder()
    for line in logical_lines(body[start:]):
        builder.feed(line)
    doc = Document(
        title=title,
        body=builder.body,
        header=header_text,
        events=find_events("\n".join(header_text + [r.text for r in footer])),
        warnings=builder.warnings,
        source=source,
        stage_note=stage,
    )
    _add_stated_effective_date(doc)
    return doc


def logical_lines(lines: list[RawLine]) -> list[Line]:
    """Rejoin paragraphs that extraction broke mid-sentence.

    A line continues the previous one unless the previous ended a sentence (。；：) or the
    line starts a provision. When most lines (headings aside) end without sentence
    punctuation the text is a PDF extraction, and a line starting with 第十二条 or （一）
    starts a provision only after a sentence end — so a reference that happens to open a
    line mid-sentence is not taken for an article or item. A line never starts with closing
    punctuation (避头), so one that does always continues."""
    texts = [r.text for r in lines if match_division(r.text) is None]
    terminal = sum(1 for t in texts if ends_terminal(t))
    pdf_mode = bool(texts) and terminal / len(texts) < _PDF_MODE_RATIO
    out: list[Line] = []
    for r in lines:
        if out and not _starts_new(out[-1].text, r.text, pdf_mode):
            out[-1].text += r.text
        else:
            out.append(Line(r.num, r.text))
    return out


def _starts_new(previous: str, text: str, pdf_mode: bool) -> bool:
    if text[0] in _NEVER_STARTS_A_LINE:
        return False
    if ends_terminal(previous):
        return True
    if match_division(previous) is not None or _heading_only_article(previous):
        return is_structural(text)
    return not pdf_mode and (is_structural(text) or starts_item(text))


def _heading_only_article(text: str) -> bool:
    match = ARTICLE_RE.match(text)
    return bool(match) and not match.group(4).strip()


def _add_stated_effective_date(doc: Document) -> None:
    """Record the 施行 date the text's last articles state (本条例自…起施行)."""
    for article in reversed(doc.articles[-3:]):
        event = effective_from_text(article.full_text())
        if event is not None:
            doc.events.append(DateEvent(event.kind, event.on, f"{article.label}：{event.text}"))
            return


def article_chapters(doc: Document) -> dict[str, int]:
    """Article id → chapter number, for the articles inside a chapter."""
    return {
        art_id: chapter.num
        for art_id, chapter in doc.chapter_of().items()
        if chapter.kind is Kind.CHAPTER
    }
