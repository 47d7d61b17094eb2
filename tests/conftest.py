"""Shared fixtures. PostgreSQL tests use ``postgres_dsn``: the server scripts/services.sh
starts (127.0.0.1:5432, database ``test``), each test in a schema of its own."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"


def _connect(dsn: str):
    import psycopg

    return psycopg.connect(dsn, connect_timeout=3, autocommit=True)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The DSN of a running PostgreSQL; starts it with scripts/services.sh if it is down.
    Fails (never skips) when none can be had: CI must run these tests."""
    dsn = os.environ.get("HUIQI_TEST_POSTGRES", DEFAULT_DSN)
    try:
        _connect(dsn).close()
    except Exception:
        subprocess.run(["bash", str(ROOT / "scripts" / "services.sh")], check=True)
        _connect(dsn).close()
    return dsn


@pytest.fixture
def postgres_dsn(postgres_server: str) -> Iterator[str]:
    """A DSN whose search_path is a fresh schema, dropped after the test."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with _connect(postgres_server) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{sep}options=-csearch_path%3D{schema}"
    with _connect(postgres_server) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def flushable_case_history(transactional_db):
    """For tests whose database is emptied afterwards (live server, threads): SQLite empties
    it with DELETE, which the append-only case history refuses (its triggers), so the events
    are removed here with the triggers dropped for that moment and then restored. PostgreSQL
    empties the tables with TRUNCATE, which its row trigger does not see."""
    yield
    from importlib import import_module

    from django.db import connection

    if connection.vendor != "sqlite":
        return
    append_only = import_module("huiqi.cases.migrations.0002_append_only_events")
    with connection.cursor() as cursor:
        for sql in append_only._SQLITE_DROP:
            cursor.execute(sql)
        cursor.execute("DELETE FROM cases_caseevent")
        for sql in append_only._SQLITE:
            cursor.execute(sql)
