"""The deadline clock where a worker runs: a thread that runs :func:`huiqi.cases.clock.run_clock`
at start and then every ``interval`` seconds (the demo server starts it beside the screening
worker). Elsewhere schedule ``huiqi manage case_clock`` (cron, a systemd timer). Running the
clock again on the same day marks and reminds nothing twice."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection

from .clock import run_clock

logger = logging.getLogger(__name__)

INTERVAL = 15 * 60
"""Seconds between ticks: a case turns due-soon or overdue at most this late in the day."""


def run_clock_worker(stop: threading.Event, interval: float = INTERVAL) -> int:
    """Tick until ``stop`` is set; returns the number of ticks."""
    ticks = 0
    try:
        while not stop.is_set():
            close_old_connections()
            try:
                report = run_clock()
                logger.info("case clock: %s", report)
            except Exception:  # a failed tick is logged; the next one tries again
                logger.exception("case clock tick failed")
            ticks += 1
            stop.wait(interval)
    finally:
        connection.close()
    return ticks


def start_in_background(interval: float = INTERVAL) -> tuple[threading.Thread, threading.Event]:
    """A daemon thread running :func:`run_clock_worker`, and the event that stops it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_clock_worker, args=(stop, interval), name="case-clock", daemon=True
    )
    thread.start()
    return thread, stop
