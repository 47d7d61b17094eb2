"""``huiqi manage load_library``: load the bundled regulation library into the database and
index its articles for search (长春 条例 第三十五条). Run it again at will: a document whose
content did not change is left alone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from huiqi.library.services import load_bundled


class Command(BaseCommand):
    help = "载入内置法规库（文件、条文）并建立检索索引；重复运行不会改变未修改的文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="即使内容未变也重新载入每个文件（例如分词词典更新之后）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_bundled(force=options["force"])
        self.stdout.write(result.summary())
