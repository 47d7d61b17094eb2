"""``huiqi manage case_clock [--today DATE]``: the deadline clock (run daily, e.g. by cron)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiqi.cases.clock import DUE_SOON, run_clock


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--today 应当是日期（如 2025-10-31），而不是“{text}”") from None


class Command(BaseCommand):
    help = (
        f"标记即将到期（含当天剩余不超过 {DUE_SOON} 个工作日）和已逾期的诉求，提醒办理部门，"
        "逾期的转本部门负责人督办；每件诉求每种提醒只发一次。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=_day, help="按这一天计算（默认今天，北京时间）")

    def handle(self, *args: Any, today: date | None = None, **options: Any) -> None:
        report = run_clock(today)
        self.stdout.write(
            f"{report.today.isoformat()}：即将到期 {len(report.due_soon)} 件，"
            f"新逾期 {len(report.overdue)} 件，发出提醒 {report.reminders} 条"
        )
        for number in report.overdue:
            self.stdout.write(f"  逾期：{number}")
        for number in report.due_soon:
            self.stdout.write(f"  即将到期：{number}")
