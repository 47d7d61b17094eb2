"""An enterprise's facts as given by a caller (a JSON file, a form, a registry row), checked
against the fact catalogue (``huiqi/rules/data/facts.yaml``) before any policy is matched.

Facts are keyed by catalogue name; a value None (or a fact left out) is unknown. Dates are
ISO text or dates, amounts numbers in 万元, qualifications ``<key>_from``, ``<key>_to`` and
``<key>_first``. Every problem names the field, so the enterprise or the official knows what to
correct: an unknown name, a value of the wrong type, an invalid 统一社会信用代码 (GB 32100-2015
check character, via python-stdnum), a fact that is computed and cannot be given.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, NoReturn

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from huiqi.rules.errors import InvalidFacts
from huiqi.rules.facts import Fact, FactType, Source, catalogue
from huiqi.rules.industries import industries

_DIVISION = re.compile(r"\d{6}")


class EnterpriseFactsError(InvalidFacts):
    """An enterprise's facts that cannot be used as given; the message names the field and
    ``field`` holds its catalogue name (None when the facts as a whole are wrong), so a form
    can show the error next to the field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def checked_facts(raw: Mapping[str, Any], source: str = "企业信息") -> Mapping[str, Any]:
    """The facts of ``raw`` checked and normalised: ``Decimal`` amounts, ``date`` dates, ``int``
    counts, ``bool`` flags, text codes; unknown (None) facts left out. ``source`` names where
    the facts come from in messages (the file)."""
    if not isinstance(raw, Mapping):
        raise EnterpriseFactsError(f'{source}：应当是以事实名称为键的对象（如 {{"revenue": 800}}）')
    known = catalogue().facts
    out: dict[str, Any] = {}
    for name, value in raw.items():
        item = known.get(name) if isinstance(name, str) else None
        if item is None:
            _unknown(source, name)
        if item.source is Source.DERIVED:
            parts = "、".join(f"{n}（{known[n].label}）" for n in item.derived_from)
            _fail(source, item, f"由{parts}推算得出，不能直接填写")
        if value is not None:
            out[name] = _value(source, item, value)
    _check_qualifications(source, out)
    return MappingProxyType(out)


def _fail(source: str, item: Fact, problem: str) -> NoReturn:
    raise EnterpriseFactsError(f"{source}：字段“{item.name}”（{item.label}）{problem}", item.name)


def _unknown(source: str, name: object) -> NoReturn:
    known = catalogue().facts
    hint = ""
    if isinstance(name, str):
        by_label = {f.label: f.name for f in known.values()}
        if name in by_label:
            hint = f"；请用事实名称“{by_label[name]}”"
        else:
            close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
            if close:
                hint = "；是否指：" + "、".join(f"{c}（{known[c].label}）" for c in close)
    raise EnterpriseFactsError(
        f"{source}：字段“{name}”不是事实目录（huiqi/rules/data/facts.yaml）中的事实{hint}",
        str(name),
    )


def _value(source: str, item: Fact, value: Any) -> Any:
    kind = item.type
    if kind in (FactType.INTEGER, FactType.DECIMAL):
        return _number(source, item, value)
    if kind is FactType.DATE:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        _fail(source, item, f"应当是日期（如 2024-03-01），而不是“{value}”")
    if kind is FactType.BOOLEAN:
        if not isinstance(value, bool):
            _fail(source, item, f"应当是 true 或 false，而不是“{value}”")
        return value
    if not isinstance(value, str) or not value.strip():
        _fail(source, item, f"应当是文字，而不是“{value}”")
    text = value.strip()
    if kind is FactType.INDUSTRY and text not in industries():
        _fail(
            source,
            item,
            f"应当是《国民经济行业分类》（GB/T 4754-2017）的代码（如 C、39、3911），而不是“{text}”",
        )
    if kind is FactType.DIVISION and (not _DIVISION.fullmatch(text) or text == "000000"):
        _fail(source, item, f"应当是六位行政区划代码（如 220102），而不是“{text}”")
    if item.name == "uscc":
        return _uscc(source, item, text)
    return text


def _number(source: str, item: Fact, value: Any) -> Decimal | int:
    unit = f"（{item.unit}）" if item.unit else ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        _fail(source, item, f"应当是数字{unit}，而不是“{value}”")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        _fail(source, item, f"应当是数字{unit}，而不是“{value}”")
    if not number.is_finite() or number < 0:
        _fail(source, item, f"应当是非负的数字{unit}，而不是“{value}”")
    if item.type is FactType.INTEGER:
        if number != number.to_integral_value():
            _fail(source, item, f"应当是整数{unit}，而不是“{value}”")
        return int(number)
    return number


def _uscc(source: str, item: Fact, text: str) -> str:
    try:
        return str(stdnum_uscc.validate(text))
    except InvalidLength:
        problem = "应当是18位"
    except InvalidChecksum:
        problem = "校验码（第18位）不符，请核对"
    except ValidationError:
        problem = "含有不允许的字符（前8位为数字，其余为数字或除 I、O、S、V、Z 外的大写字母）"
    _fail(source, item, f"“{text}”无效：{problem}")


def _check_qualifications(source: str, facts: Mapping[str, Any]) -> None:
    """A validity period needs its start and cannot end before it; the first recognition
    cannot come after the current certificate's start."""
    known = catalogue().facts
    for q in catalogue().qualifications.values():
        start, end, first = (facts.get(c) for c in q.columns)
        if end is not None and start is None:
            _fail(source, known[q.columns[1]], f"已填写，但缺少有效期起（{q.columns[0]}）")
        if start is not None and end is not None and end < start:
            _fail(
                source, known[q.columns[1]], f"{end.isoformat()} 早于有效期起 {start.isoformat()}"
            )
        if first is not None and start is not None and first > start:
            _fail(
                source,
                known[q.columns[2]],
                f"{first.isoformat()} 晚于当前证书的有效期起 {start.isoformat()}",
            )
