"""A generated registry shared by the population tests (generation is reproducible, so every
test sees the same enterprises)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from huiqi.population import generate

ON = date(2025, 12, 31)
"""The registry date of the shared populations (the default for financial year 2025)."""


@pytest.fixture(scope="session")
def population() -> pl.DataFrame:
    """20,000 enterprises of 长春, the size of the platform's demo data."""
    return generate(20_000, seed=20_251_231)


@pytest.fixture(scope="session")
def large_population() -> pl.DataFrame:
    """100,000 enterprises, enough to hold every qualification."""
    return generate(100_000, seed=7)
