"""Benchmark of the registry import: a synthetic registry of 100,000 enterprises (one year of
facts each) written as CSV, imported into a fresh database, then imported again (which must
change nothing).

Run: ``.venv/bin/python benchmarks/registry_import.py [--count N]``; SQLite in a temporary
data directory, or the database of ``DATABASE_URL`` (migrated first). Target: 100,000 rows in
under 60 s.
"""

from __future__ import annotations

import argparse
import os
import secrets
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huiqi-bench-") as tmp:
        os.environ.setdefault("HUIQI_DATA_DIR", tmp)
        os.environ.setdefault("HUIQI_SECRET_KEY", secrets.token_urlsafe(50))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiqi.web.settings")
        import django

        django.setup()
        from django.core.management import call_command

        from huiqi.enterprises.models import Enterprise
        from huiqi.enterprises.services import import_registry
        from huiqi.population import generate, write

        call_command("migrate", verbosity=0)
        if Enterprise.objects.exists():
            raise SystemExit("the benchmark needs an empty registry (a fresh database)")
        path = Path(tmp) / "registry.csv"
        started = time.perf_counter()
        write(generate(args.count, seed=1), path)
        print(f"generated {args.count:,} rows as CSV in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        first = import_registry(path, actor=None)
        took = time.perf_counter() - started
        verdict = "ok" if took < TARGET_SECONDS else "SLOWER THAN TARGET"
        print(
            f"first import:  {first.rows:,} rows in {took:.1f} s "
            f"({first.rows / took:,.0f} rows/s; {first.changed:,} records created; "
            f"target < {TARGET_SECONDS:.0f} s: {verdict})"
        )
        started = time.perf_counter()
        again = import_registry(path, actor=None)
        took = time.perf_counter() - started
        print(f"second import: {again.rows:,} rows in {took:.1f} s, {again.changed} changes")


if __name__ == "__main__":
    main()
