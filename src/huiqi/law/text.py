"""Clean-up of text extracted from PDF and Word files: spaces, page furniture, broken lines."""

from __future__ import annotations

import re

_WIDE_RANGES = (
    ("\u3000", "\u303f"),  # CJK symbols and punctuation
    ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"),
    ("\uf900", "\ufaff"),
    ("\ufe30", "\ufe4f"),
    ("\uff00", "\uffef"),  # full-width forms
    ("\u2018", "\u201d"),  # curly quotes used as Chinese quotation marks
    ("\u2026", "\u2026"),
)

TERMINAL = "。；：！？"
_CLOSERS = "”’）」』】》\"'"

_FURNITURE = [
    re.compile(r"^\d{1,4}$"),
    re.compile(r"^[-－—–]\s*\d{1,4}\s*[-－—–]$"),
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),
    re.compile(r"^附件\s*\d{0,2}$"),
]


def is_wide(ch: str) -> bool:
    return any(lo <= ch <= hi for lo, hi in _WIDE_RANGES)


_SPACES = (
    "\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
)
_SPACE_RUN = re.compile(f"[ \\t{_SPACES}]+")
_TO_SPACE = str.maketrans(dict.fromkeys(_SPACES, " ") | {"\r": None})


def squeeze_spaces(text: str) -> str:
    """Remove spaces inside Chinese text (``2024年 12月`` → ``2024年12月``, ``总 则`` → ``总则``)
    but keep them between Latin letters and digits (``GB/T 4754``)."""

    def repl(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        if start == 0 or end == len(text):
            return ""
        before, after = text[start - 1], text[end]
        if (is_wide(before) and (is_wide(after) or after.isdigit())) or (
            is_wide(after) and before.isdigit()
        ):
            return ""
        return " "

    return _SPACE_RUN.sub(repl, text)


def normalise_spaces(line: str) -> str:
    """Full-width, en/em and non-breaking spaces to plain spaces; trailing spaces removed (a
    tab is kept: alone on a line it is an empty table cell)."""
    return line.translate(_TO_SPACE).rstrip(" ")


def is_furniture(line: str) -> bool:
    """A page number or similar line that belongs to the page, not to the text."""
    stripped = line.strip()
    return any(p.match(stripped) for p in _FURNITURE)


def ends_terminal(text: str) -> bool:
    """Does the line end a sentence that may end a paragraph (。；：…, possibly quoted)?"""
    stripped = text.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in TERMINAL
