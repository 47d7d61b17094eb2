"""Turning one raw cell of a registry file into the value of a fact, or a reason in Chinese.

CSV cells are text; Excel cells may already be numbers, dates or booleans."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

from huiqi.rules.facts import Fact, FactType
from huiqi.rules.industries import industries


class CellError(ValueError):
    """A cell that is not a valid value of its fact; the message says why, in Chinese."""


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = frozenset({"true", "1", "是", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "否", "no", "n", "f"})


def parse_cell(fact: Fact, raw: Any) -> Any:
    """The value of ``fact`` in ``raw``; None for an empty cell."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if fact.name == "uscc":
        return _uscc(raw)
    if fact.name == "year":
        year = _integer(raw)
        if not 1949 <= year <= 2100:
            raise CellError(f"年度“{raw}”不在 1949—2100 之间")
        return year
    return _PARSERS[fact.type](raw)


def _text(raw: Any) -> str:
    return str(raw).strip()


def _uscc(raw: Any) -> str:
    code = str(raw).strip().upper()
    try:
        return stdnum_uscc.validate(code)
    except InvalidLength as exc:
        raise CellError(f"统一社会信用代码“{code}”应为 18 位") from exc
    except InvalidChecksum as exc:
        raise CellError(f"统一社会信用代码“{code}”的校验码不正确") from exc
    except ValidationError as exc:
        raise CellError(f"统一社会信用代码“{code}”格式不正确") from exc


def _industry(raw: Any) -> str:
    code = str(raw).strip().upper()
    if code not in industries():
        raise CellError(f"GB/T 4754-2017《国民经济行业分类》中没有行业代码“{code}”")
    return code


def _division(raw: Any) -> str:
    code = str(raw).strip()
    if isinstance(raw, int) or (isinstance(raw, float) and raw.is_integer()):
        code = str(int(raw))
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise CellError(f"“{code}”不是六位数字的行政区划代码")
    return code


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise CellError(f"“{text}”不是有效的日期，应写作 YYYY-MM-DD（如 2025-06-01）")


def _integer(raw: Any) -> int:
    if isinstance(raw, bool):
        raise CellError(f"“{raw}”不是整数")
    if isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, int):
        value = raw
    else:
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise CellError(f"“{raw}”不是整数") from None
    if value < 0:
        raise CellError(f"“{raw}”小于 0")
    return value


def _decimal(raw: Any) -> float:
    if isinstance(raw, bool):
        raise CellError(f"“{raw}”不是数字")
    try:
        value = float(raw if isinstance(raw, int | float) else str(raw).strip().replace(",", ""))
    except ValueError:
        raise CellError(f"“{raw}”不是数字") from None
    if not math.isfinite(value):
        raise CellError(f"“{raw}”不是有限的数字")
    if value < 0:
        raise CellError(f"“{raw}”小于 0")
    return value


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"“{raw}”不是是否值，应写作 true / false（或 是 / 否、1 / 0）")


_PARSERS = {
    FactType.TEXT: _text,
    FactType.INDUSTRY: _industry,
    FactType.DIVISION: _division,
    FactType.DATE: _date,
    FactType.INTEGER: _integer,
    FactType.DECIMAL: _decimal,
    FactType.BOOLEAN: _boolean,
}
