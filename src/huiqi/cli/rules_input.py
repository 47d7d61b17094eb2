"""Reading the values of the rules commands (``huiqi size``, ``huiqi deadline``,
``huiqi procurement``): dates, amounts and counts, with Chinese messages for bad input."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from . import UsageError


def parse_date(text: str | None, name: str) -> date | None:
    """2025-06-01 → a date; None stays None."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{name} 应当是日期（如 2025-06-01），而不是“{text}”") from None


def parse_decimal(text: str | None, name: str) -> Decimal | None:
    """A number such as 15000 or 0.12; None stays None."""
    if text is None:
        return None
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise UsageError(f"{name} 应当是数字，而不是“{text}”") from None
    if not value.is_finite():
        raise UsageError(f"{name} 应当是有限的数字，而不是“{text}”")
    return value


def parse_int(text: str | None, name: str) -> int | None:
    """A whole number such as 120; None stays None."""
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise UsageError(f"{name} 应当是整数，而不是“{text}”") from None


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
