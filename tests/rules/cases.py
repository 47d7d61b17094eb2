"""Reading the YAML cases a jurist can check: ``facts → result + citation``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[Any]:
    """The cases of ``cases/<name>.yaml`` as pytest parameters named by their ``name``."""
    raw = yaml.safe_load((CASES / f"{name}.yaml").read_text("utf-8"))
    return [pytest.param(case, id=case["name"]) for case in raw["cases"]]


def amount(value: object) -> Decimal | None:
    """A YAML number as the exact decimal it was written as (19999.99, not a binary float)."""
    return None if value is None else Decimal(str(value))


def day(value: object) -> date:
    assert isinstance(value, date), f"not a date: {value!r}"
    return value
