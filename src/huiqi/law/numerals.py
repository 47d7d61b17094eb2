"""Chinese numerals as used in legal texts: 第二百零一条, 第十条之一, 二〇二五年.

Conversion of the numerals themselves is cn2an's; this module adds what legal citation
needs around it (之一 suffixes, the reverse direction with 〇-free article numbers).
"""

from __future__ import annotations

import re
from datetime import date

from huiqi.errors import UserError

CN_DIGITS = "零〇一二两三四五六七八九十百千"
_NUM = f"[{CN_DIGITS}]+"
_SIMPLE = "〇一二三四五六七八九"


def _cn2an():
    """cn2an, imported on first use: it costs ~150 ms, which every CLI call would pay."""
    import cn2an

    return cn2an


class NumeralError(UserError, ValueError):
    """A string that is not a Chinese numeral."""


def cn_to_int(text: str) -> int:
    """``二百零一`` → 201, ``十`` → 10, ``一〇三`` → 103, ``12`` → 12."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS for ch in text):
        raise NumeralError(f"不是中文数字：{text!r}")
    if all(ch in _SIMPLE or ch == "零" for ch in text) and len(text) > 1:
        return int("".join(str(_SIMPLE.index(ch)) if ch != "零" else "0" for ch in text))
    try:
        return int(_cn2an().cn2an(text, "smart"))
    except ValueError as exc:
        raise NumeralError(f"不是中文数字：{text!r}") from exc


def int_to_cn(num: int) -> str:
    """201 → ``二百零一``, 10 → ``十``, 12 → ``十二`` (the forms legal texts use)."""
    if num < 0:
        raise NumeralError(f"负数不能作为条款序号：{num}")
    text = _cn2an().an2cn(num, "low")
    return text[1:] if text.startswith("一十") else text


def article_label(num: int, suffix: int = 0) -> str:
    """第十条, 第十条之一."""
    label = f"第{int_to_cn(num)}条"
    return f"{label}之{int_to_cn(suffix)}" if suffix else label


def item_label(num: int) -> str:
    """（三）."""
    return f"（{int_to_cn(num)}）"


_DATE_CN = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_DATE_AR = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def parse_cn_date(text: str) -> date | None:
    """The first date in ``text``: ``2024年12月26日`` or ``二〇二四年十二月二十六日``."""
    match = _DATE_AR.search(text)
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:
        match = _DATE_CN.search(text)
        if not match:
            return None
        y, m, d = (cn_to_int(g) for g in match.groups())
    try:
        return date(y, m, d)
    except ValueError:
        return None


DATE_PATTERN = re.compile(f"{_DATE_AR.pattern}|{_DATE_CN.pattern}")
