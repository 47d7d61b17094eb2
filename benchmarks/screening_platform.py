"""Benchmark of the platform's 免申即享 runs (issue 5, item 7): a synthetic registry of 20,000
长春 enterprises imported into a fresh database, the bundled 长春 and national policies
published, then, repeated, timed apart:

- screening only: the compiled criteria over the population view inside the database
  (:func:`huiqi.rules.criteria.screen`), nothing written;
- a first run: screening, then every grant and notice written (the earlier ones deleted
  before each repetition);
- a re-run: the same screening, nothing new to write (idempotent).

Prints the median of each. Run: ``.venv/bin/python benchmarks/screening_platform.py
[--count N] [--repeat R]``; SQLite in a temporary data directory, or the database of
``DATABASE_URL`` (migrated first; it must hold no enterprises).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ON = date(2026, 6, 1)
JURISDICTIONS = ("220100", "cn")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huiqi-bench-") as tmp:
        os.environ.setdefault("HUIQI_DATA_DIR", tmp)
        os.environ.setdefault("HUIQI_SECRET_KEY", secrets.token_urlsafe(50))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiqi.web.settings")
        import django

        django.setup()
        _bench(Path(tmp), args.count, args.repeat)


def _bench(tmp: Path, count: int, repeat: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from huiqi.enterprises.models import Enterprise
    from huiqi.enterprises.services import import_registry
    from huiqi.policies.services import create_draft, publish
    from huiqi.population import generate, write
    from huiqi.rules.criteria import screen
    from huiqi.rules.policies import bundled_policies
    from huiqi.screening import services
    from huiqi.screening.models import Entitlement, Notice
    from huiqi.screening.population import VIEW

    call_command("migrate", verbosity=0)
    if Enterprise.objects.exists():
        raise SystemExit("the benchmark needs an empty registry (a fresh database)")
    path = write(generate(count, seed=1, city="220100"), tmp / "registry.csv")
    started = time.perf_counter()
    import_registry(path, actor=None)
    print(f"{connection.vendor}: imported {count:,} enterprises in {_since(started):.1f} s")

    policies = [p for p in bundled_policies() if p.jurisdiction in JURISDICTIONS]
    versions = [publish(None, create_draft(None, p.to_entry())) for p in policies]
    open_ = [v for v in versions if v.policy.window.is_open(ON)]
    print(f"{len(policies)} policies of 长春 and national ({len(open_)} open on {ON})")

    connection.ensure_connection()
    engine = "postgres" if connection.vendor == "postgresql" else "sqlite"
    criteria = {str(v.pk): v.policy.criteria for v in open_}

    def screening_only() -> None:
        screen(connection.connection, criteria, ON, engine=engine, table=VIEW)

    def first_run() -> None:
        Notice.objects.all().delete()
        Entitlement.objects.all().delete()
        started = time.perf_counter()
        run = services.screen_now(None, on=ON)
        timings.setdefault("first", []).append(_since(started))
        totals.update(run.totals())
        assert run.status == "done", run.error

    def rerun() -> None:
        run = services.screen_now(None, on=ON)
        assert run.totals()["notices_new"] == run.totals()["granted_new"] == 0

    timings: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    screened = _median(screening_only, repeat)
    for _ in range(repeat):
        first_run()
    again = _median(rerun, repeat)
    first = statistics.median(timings["first"])
    print(f"screening only (SQL over the view): median {screened:.2f} s")
    print(
        f"first run: median {first:.2f} s ({totals['granted_new']:,} grants, "
        f"{totals['notices_new']:,} notices written)"
    )
    print(f"re-run (nothing new): median {again:.2f} s")


def _median(step: Callable[[], None], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(_since(started))
    return statistics.median(times)


def _since(started: float) -> float:
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
