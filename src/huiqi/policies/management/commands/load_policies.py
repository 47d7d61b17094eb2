"""``huiqi manage load_policies [--publish]``: the example policy pack into the library."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huiqi.policies.services import load_bundled


class Command(BaseCommand):
    help = (
        "将随附的示例政策包（36 项）载入政策库：新政策新建，内容未变的不动，内容变化的建新版本；"
        "加 --publish 则发布所得草稿。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--publish", action="store_true", help="发布载入后的草稿版本")

    def handle(self, *args: Any, publish: bool, **options: Any) -> None:
        counts = load_bundled(publish)
        self.stdout.write(f"示例政策包：{counts.text}")
