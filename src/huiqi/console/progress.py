"""The live progress of the imports running in this process.

An import stores its rows in one transaction (all or nothing), so the progress it reports
while storing cannot be committed to the job's row until the end: another connection would
not see it (PostgreSQL) or would wait for the write lock (SQLite). The job page of the same
process reads it from here; elsewhere it shows the progress last saved.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_live: dict[int, tuple[str, int, int]] = {}


def publish(job_id: int, stage: str, done: int, total: int) -> None:
    with _lock:
        _live[job_id] = (stage, done, total)


def live(job_id: int) -> tuple[str, int, int] | None:
    """The stage, rows done and rows in it of a job running in this process, or None."""
    with _lock:
        return _live.get(job_id)


def forget(job_id: int) -> None:
    with _lock:
        _live.pop(job_id, None)
