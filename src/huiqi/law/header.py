"""Header metadata of a legal text: the title and the 通过/批准/公布/施行 dates.

A header like 长春 条例's reads （2024年12月26日…通过 2025年3月27日…批准 2025年4月3日公布
自2025年5月1日起施行）; LawRefBook Markdown gives one dated line per event.
"""

from __future__ import annotations

import re

from .model import DateEvent
from .numerals import DATE_PATTERN, parse_cn_date
from .text import is_furniture, squeeze_spaces

EVENT_KINDS = {
    "通过": "adopted",
    "批准": "approved",
    "公布": "promulgated",
    "发布": "promulgated",
    "施行": "effective",
    "修订": "revised",
    "修正": "amended",
}
EVENT_NAMES = {v: k for k, v in EVENT_KINDS.items() if k != "发布"}
EVENT_NAMES["prepared"] = "制作"

_TITLE_END = re.compile(r"(法|条例|办法|规定|细则|决定|规则|对照稿|意见|通知|章程|准则|编)$")
_STAGE = re.compile(r"^[（(]\s*(.*(?:稿|草案))\s*[）)]$")
_KEYWORD = re.compile("|".join(EVENT_KINDS))
_PREPARED = re.compile(r"制作(?:时间|日期)[:：]?\s*$")


def join_parenthesised(lines: list[str]) -> list[str]:
    """Rejoin a parenthesised header block that PDF extraction broke over several lines."""
    out: list[str] = []
    open_block = False
    for line in lines:
        if open_block:
            out[-1] += line
        else:
            out.append(line)
        text = out[-1]
        open_block = text.count("（") + text.count("(") > text.count("）") + text.count(")")
    return out


def find_title(lines: list[str]) -> tuple[str | None, str | None]:
    """The title line and a stage note such as （征求意见稿） under it."""
    title = stage = None
    for line in lines:
        text = squeeze_spaces(line.strip())
        if not text or is_furniture(text):
            continue
        match = _STAGE.match(text)
        if match and stage is None:
            stage = match.group(1)
            continue
        if title is None and not text.startswith(("（", "(")) and _TITLE_END.search(text):
            title = text
    return title, stage


def find_events(text: str) -> list[DateEvent]:
    """Every dated event in a header text, in order: each date takes the last event word
    between it and the next date (…通过 2025年3月27日…批准)."""
    text = squeeze_spaces(text)
    matches = list(DATE_PATTERN.finditer(text))
    events: list[DateEvent] = []
    for i, match in enumerate(matches):
        on = parse_cn_date(match.group(0))
        if on is None:
            continue
        if _PREPARED.search(text[: match.start()]):
            events.append(DateEvent("prepared", on, match.group(0)))
            continue
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        segment = text[match.start() : end]
        words = list(_KEYWORD.finditer(segment))
        if words:
            last = words[-1]
            stated = segment[: last.end()].strip(" \n（）()")
            if match.start() > 0 and text[match.start() - 1] == "自":
                stated = "自" + stated
            events.append(DateEvent(EVENT_KINDS[last.group(0)], on, stated))
    return events


_FOOTER = re.compile(r"^[（(]\s*(制作|印发|发布)(时间|日期)?[:：].*[）)]$")


def is_footer(line: str) -> bool:
    """A closing line such as （制作时间：2020年9月16日）: metadata, not text."""
    return bool(_FOOTER.match(line.strip()))


_IN_FORCE = re.compile(r"自\s*(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起施行")


def effective_from_text(text: str) -> DateEvent | None:
    """The 施行 date an article states: 本条例自2025年5月1日起施行."""
    match = _IN_FORCE.search(text)
    if not match:
        return None
    on = parse_cn_date(match.group(1))
    return DateEvent("effective", on, squeeze_spaces(match.group(0))) if on else None
