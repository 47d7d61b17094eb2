"""Benchmark of the synthetic registry: generating populations and writing them to Parquet,
CSV and SQLite (atomic writes, fsync included), with the read-back time of each file.

Run: ``.venv/bin/python benchmarks/population.py [--sizes 10000,100000,1000000] [--runs 3]``.
Smaller sizes report the median of ``--runs`` runs, 1,000,000 a single run.
Target: 1,000,000 enterprises generated and written in under 60 s in each format.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from huiqi.population import generate, read, write

FORMATS = (".parquet", ".csv", ".sqlite")
TARGET_ROWS = 1_000_000
TARGET_SECONDS = 60.0


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median seconds over ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3, help="runs per size below 1,000,000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    print(f"{'enterprises':>12} {'step':<16}{'seconds':>9}{'MB':>8}{'read s':>8}  note")
    for n in sizes:
        runs = 1 if n >= TARGET_ROWS else args.runs
        note = "1 run" if runs == 1 else f"median of {runs}"
        generating, population = _timed(lambda n=n: generate(n, seed=1), runs)
        print(f"{n:>12,} {'generate':<16}{generating:>9.2f}{'':>8}{'':>8}  {note}")
        with tempfile.TemporaryDirectory() as tmp:
            for suffix in FORMATS:
                path = Path(tmp) / f"registry{suffix}"
                writing, _ = _timed(lambda p=path, f=population: write(f, p), runs)
                reading, back = _timed(lambda p=path: read(p), runs)
                assert back.equals(population), f"{suffix} did not round-trip"
                size = path.stat().st_size / 1024 / 1024
                total = generating + writing
                verdict = ""
                if n == TARGET_ROWS:
                    met = "met" if total < TARGET_SECONDS else "MISSED"
                    verdict = f"; target < {TARGET_SECONDS:.0f} s {met}"
                print(
                    f"{'':>12} {'write ' + suffix[1:]:<16}{writing:>9.2f}{size:>8.1f}"
                    f"{reading:>8.2f}  generate + write {total:.2f} s{verdict}"
                )


if __name__ == "__main__":
    main()
