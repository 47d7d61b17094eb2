"""``huiqi manage import_registry FILE [--row-by-row]``: import a registry file now, as the
system, through an import job (recorded on the console's import page), printing its progress
and report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from huiqi.console.models import ImportJob, ImportMode, ImportStage, ImportStatus
from huiqi.console.services import first_rejections, queue_import, run_import
from huiqi.errors import UserError

_SHOWN = 20


class Command(BaseCommand):
    help = "导入企业名录文件（CSV 或 Excel），显示进度和导入报告。默认整体导入：有任何一行被拒则不写入。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="企业名录文件（.csv 或 .xlsx）")
        parser.add_argument(
            "--row-by-row",
            action="store_true",
            help="逐行导入：写入通过校验的行，只报告被拒的行",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        mode = ImportMode.ROW_BY_ROW if options["row_by_row"] else ImportMode.ALL_OR_NOTHING
        console = Console(file=self.stdout, highlight=False)
        try:
            with path.open("rb") as data:
                job = queue_import(actor=None, file=File(data, name=path.name), mode=mode)
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as bar:
                tasks: dict[str, Any] = {}

                def follow(stage: str, done: int, total: int) -> None:
                    if stage not in tasks:
                        tasks[stage] = bar.add_task(f"{ImportStage(stage).label}行", total=total)
                    bar.update(tasks[stage], completed=done, total=total)

                job = run_import(job.pk, on_progress=follow)
        except UserError as exc:
            raise CommandError(str(exc)) from None
        self._report(console, job)
        if job.status == ImportStatus.FAILED:
            raise CommandError(job.error)
        if not job.applied:
            raise CommandError(f"有 {job.rejected_rows:,} 行被拒，按整体导入方式未写入任何数据")

    def _report(self, console: Console, job: ImportJob) -> None:
        console.print(
            f"导入 #{job.pk}：{job.original_name}，{job.get_mode_display()}，"
            f"{job.get_status_display()}，{job.rows:,} 行"
        )
        if job.status != ImportStatus.DONE:
            return
        if not job.applied:
            console.print("整体导入：文件中有被拒的行，未写入任何数据，名录保持原样。")
        else:
            self._counts(console, job)
        if job.rejections:
            shown = Table("行号", "列", "原因", title=f"被拒 {job.rejected_rows:,} 行")
            for r in first_rejections(job, _SHOWN):
                shown.add_row(r.row, r.column, r.reason)
            console.print(shown)
            console.print(f"完整的被拒行报告：{job.rejections_file.path}", soft_wrap=True)

    def _counts(self, console: Console, job: ImportJob) -> None:
        counts = Table("", "新增", "更新")
        counts.add_row("企业", f"{job.enterprises_created:,}", f"{job.enterprises_updated:,}")
        counts.add_row("年度数据", f"{job.yearly_facts_created:,}", f"{job.yearly_facts_updated:,}")
        counts.add_row("资质", f"{job.qualifications_created:,}", f"{job.qualifications_updated:,}")
        console.print(counts)
        if job.seconds is not None:
            console.print(f"用时 {job.seconds:.1f} 秒")
