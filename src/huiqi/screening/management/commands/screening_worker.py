"""``huiqi manage screening_worker [--once] [--poll SECONDS]``: execute queued 免申即享 runs."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand

from huiqi.screening.worker import run_worker


class Command(BaseCommand):
    help = "执行排队中的免申即享筛查；按 Ctrl-C 停止。--once：处理完队列即退出。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="处理完排队中的筛查后退出")
        parser.add_argument(
            "--poll", type=float, default=1.0, help="队列为空时每隔多少秒查看一次（默认 1）"
        )

    def handle(self, *args: Any, once: bool, poll: float, **options: Any) -> None:
        stop = threading.Event()
        try:
            executed = run_worker(stop, poll, once=once)
        except KeyboardInterrupt:
            stop.set()
            self.stdout.write("已停止")
            return
        self.stdout.write(f"已执行 {executed} 次筛查")
