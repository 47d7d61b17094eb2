"""Fixtures of the platform's tests: a small synthetic registry file and users of each role.

These tests run twice in scripts/test.sh: on SQLite, then on PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from django.core.cache import cache

from huiqi.population import generate, write

PASSWORD = "长春惠企-test-2025"


@pytest.fixture(scope="session")
def population() -> pl.DataFrame:
    """Forty synthetic enterprises of 长春 (districts 2201xx), one year of facts each."""
    return generate(40, seed=7, city="220100", year=2025)


@pytest.fixture
def registry_csv(tmp_path: Path, population: pl.DataFrame) -> Path:
    return write(population, tmp_path / "registry.csv")


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def administrator(db):
    from huiqi.accounts.models import Role
    from huiqi.accounts.services import create_user

    return create_user(actor=None, username="admin", password=PASSWORD, role=Role.ADMINISTRATOR)


@pytest.fixture(scope="session")
def _law_library_loaded(django_db_setup, django_db_blocker) -> None:
    """The bundled regulation library, loaded once per test database and committed."""
    from huiqi.library.services import load_bundled

    with django_db_blocker.unblock():
        load_bundled()


@pytest.fixture
def law_library(_law_library_loaded, db) -> None:
    """The regulation library's tables filled (huiqi.library); loaded again inside the test
    when a transactional test emptied the database."""
    from huiqi.library.models import LawDocument
    from huiqi.library.services import load_bundled

    if not LawDocument.objects.exists():
        load_bundled()
