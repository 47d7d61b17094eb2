"""Validators of the identifiers accounts are bound to."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum.cn import uscc


def validate_uscc(value: str) -> None:
    """A valid 统一社会信用代码 (GB 32100-2015, check character included)."""
    if not uscc.is_valid(value):
        raise ValidationError(
            "“%(value)s”不是有效的统一社会信用代码（18 位，末位为校验码）",
            params={"value": value},
            code="invalid_uscc",
        )


def validate_division(value: str) -> None:
    """A six-digit 行政区划代码."""
    if not (len(value) == 6 and value.isascii() and value.isdigit()):
        raise ValidationError(
            "“%(value)s”不是六位数字的行政区划代码（如 220100）",
            params={"value": value},
            code="invalid_division",
        )
