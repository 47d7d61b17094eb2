"""Time limits in a duty: 二十个工作日内, 30日内, 收到…之日起十个工作日内, 最长不得超过90日,
每年3月31日前, 在法律法规规定的时间内.

长春 条例 第四十三条: 在收到投诉、举报之日起二十个工作日内 … 书面答复; 款项支付条例 (2025)
第二十五条: 自正式受理之日起10个工作日内 … 转交; 自收到投诉材料之日起30日内形成处理结果.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from huiqi.law.numerals import cn_to_int

_NUM = r"(?P<num>\d+|[零〇一二两三四五六七八九十百]+)"
_UNIT = r"个?(?P<unit>工作日|日|天|个月|年)"
_DURATION = re.compile(_NUM + _UNIT + r"(?:内|以内|之内)")
_CAP = re.compile(r"(?:超过|长于)" + _NUM + _UNIT + r"(?!期)")
_DATE = re.compile(
    r"(?P<text>每年(?:\d+|[一二三四五六七八九十]+)月(?:\d+|[一二三四五六七八九十]+)日)(?:前|之前|以前)"
)
_REFERENCE = re.compile(r"在[^，。；]{0,14}?规定的(?:时间|期限)内")
_TRIGGER = re.compile(r"(?:自|从|在|于)(?P<trigger>[^，。；]{1,40}?)之日起的?$")
_BARE_TRIGGER = re.compile(
    r"(?P<trigger>(?:收到|接到|受理|提出)(?:(?!收到|接到|受理|提出)[^，。；]){0,38}?)之日起的?$"
)

UNITS = ("工作日", "日", "个月", "年", "日期", "依规定")


@dataclass(frozen=True)
class TimeLimit:
    """A limit on when the duty must be done.

    ``value`` and ``unit`` (工作日, 日, 个月, 年) for a period, with the ``trigger`` it runs
    from when the text names one (收到投诉、举报); ``unit`` 日期 for a date each year
    (``value`` None, the date in ``text``); ``unit`` 依规定 for a period left to other law
    (在法律法规规定的时间内). ``text`` is the limit as written."""

    value: int | None
    unit: str
    trigger: str | None
    text: str

    def as_dict(self) -> dict:
        return {"value": self.value, "unit": self.unit, "trigger": self.trigger, "text": self.text}


def _unit(raw: str) -> str:
    return "日" if raw == "天" else raw


def find_time_limit(text: str) -> TimeLimit | None:
    """The first time limit in ``text`` (an obligation's action), or None."""
    found: list[tuple[int, TimeLimit]] = []
    m = _DURATION.search(text)
    if m:
        head = text[: m.start()]
        t = _TRIGGER.search(head) or _BARE_TRIGGER.search(head)
        trigger = t.group("trigger") if t else None
        start = t.start("trigger") if t else m.start()
        written = text[start : m.end()]
        found.append(
            (m.start(), TimeLimit(cn_to_int(m["num"]), _unit(m["unit"]), trigger, written))
        )
    m = _CAP.search(text)
    if m:
        found.append((m.start(), TimeLimit(cn_to_int(m["num"]), _unit(m["unit"]), None, m.group())))
    m = _DATE.search(text)
    if m:
        found.append((m.start(), TimeLimit(None, "日期", None, m.group())))
    m = _REFERENCE.search(text)
    if m:
        found.append((m.start(), TimeLimit(None, "依规定", None, m.group())))
    if not found:
        return None
    return min(found, key=lambda pair: pair[0])[1]
