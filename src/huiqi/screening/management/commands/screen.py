"""``huiqi manage screen [--policy SLUG] [--on DATE] [--jurisdiction CODE]``: request a
免申即享 run and execute it now, printing its progress and counts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from huiqi.errors import UserError
from huiqi.policies.models import PolicyVersion
from huiqi.screening.models import RunStatus, ScreeningRun
from huiqi.screening.services import screen_now


class Command(BaseCommand):
    help = "立即执行一次免申即享筛查（一项政策或全部已发布政策），显示进度和结果统计。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--policy", help="政策编号，如 cc-zjtx-support（默认：全部已发布政策）")
        parser.add_argument("--on", help="筛查日期，如 2026-06-01（默认今天）")
        parser.add_argument("--jurisdiction", help="筛查范围的行政区划代码，如 220100（默认全部）")

    def handle(self, *args: Any, **options: Any) -> None:
        version = None
        if options["policy"]:
            version = (
                PolicyVersion.objects.published().filter(record__slug=options["policy"]).first()
            )
            if version is None:
                raise CommandError(f"没有编号为“{options['policy']}”的已发布政策")
        on = None
        if options["on"]:
            try:
                on = date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError(f"--on：“{options['on']}”不是日期（如 2026-06-01）") from None
        try:
            run = screen_now(
                None, version, on, jurisdiction=options["jurisdiction"], progress=self._progress
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        except UserError as exc:
            raise CommandError(str(exc)) from None
        self._report(run)
        if run.status == RunStatus.FAILED:
            raise CommandError(run.error)

    def _progress(self, run: ScreeningRun) -> None:
        self.stdout.write(f"已筛查 {run.progress_done}/{run.progress_total} 项政策")

    def _report(self, run: ScreeningRun) -> None:
        versions = PolicyVersion.objects.select_related("record").in_bulk(
            [int(pk) for pk in run.counts]
        )
        self.stdout.write(
            f"筛查 #{run.pk}：{run.on}，{run.enterprises:,} 户企业，"
            f"{run.get_status_display()}，规则集版本 {run.rule_set_version}"
        )
        self.stdout.write("政策\t符合\t可能符合\t不符合\t新发放\t新推送")
        for pk, c in run.counts.items():
            version = versions[int(pk)]
            self.stdout.write(
                f"{version.record.slug} 第{version.number}版\t{c['eligible']}\t{c['possibly']}"
                f"\t{c['not_eligible']}\t{c['granted_new']}\t{c['notices_new']}"
            )
        if run.skipped:
            self.stdout.write(f"未筛查 {len(run.skipped)} 项政策：筛查日期不在其申报期或有效期内")
        if run.duration is not None:
            self.stdout.write(f"用时 {run.duration.total_seconds():.2f} 秒")
