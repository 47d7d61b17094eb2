"""The background worker that executes queued 免申即享 runs, so no web request waits for a
screening: the pages only queue runs (:func:`huiqi.screening.services.request_run`).

Run it as ``huiqi manage screening_worker``, or inside the demo server's process with
:func:`start_in_background`. Several workers may run at once: each run is claimed by one.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection

from .models import ScreeningRun
from .services import claim_next_run, execute_run

logger = logging.getLogger(__name__)


def run_worker(stop: threading.Event, poll: float = 1.0, *, once: bool = False) -> int:
    """Claim and execute queued runs until ``stop`` is set, waiting ``poll`` seconds when
    none is queued; with ``once``, return as soon as the queue is empty. Returns the number
    of runs executed."""
    executed = 0
    try:
        while not stop.is_set():
            close_old_connections()
            run = claim_next_run()
            if run is None:
                if once:
                    break
                stop.wait(poll)
                continue
            _execute(run)
            executed += 1
    finally:
        connection.close()
    return executed


def _execute(run: ScreeningRun) -> None:
    logger.info("screening run %s started", run.pk)
    execute_run(run)
    logger.info("screening run %s %s", run.pk, run.status)


def start_in_background(poll: float = 1.0) -> tuple[threading.Thread, threading.Event]:
    """A daemon thread running :func:`run_worker`, and the event that stops it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_worker, args=(stop, poll), name="screening-worker", daemon=True
    )
    thread.start()
    return thread, stop
