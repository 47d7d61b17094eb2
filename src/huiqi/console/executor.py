"""Runs the queued imports off the web request: one background thread, jobs in the order
they were submitted. With the setting ``HUIQI_IMPORT_INLINE`` (tests only) a job runs at once,
in the caller's thread."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import connections

from . import services

logger = logging.getLogger(__name__)

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="huiqi-import")


def submit(job_id: int) -> Future[None] | None:
    """Start a queued job: in the background thread (the future of its run), or inline."""
    if getattr(settings, "HUIQI_IMPORT_INLINE", False):
        services.run_import(job_id)
        return None
    return _pool.submit(_run, job_id)


def drain(timeout: float | None = None) -> None:
    """Wait until the jobs submitted so far have run (an orderly shutdown; the tests)."""
    _pool.submit(lambda: None).result(timeout)


def _run(job_id: int) -> None:
    try:
        services.run_import(job_id)
    except Exception:
        logger.exception("registry import job %s could not run", job_id)
    finally:
        connections.close_all()
