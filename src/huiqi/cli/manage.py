"""``huiqi manage …``: Django's management commands with the platform's settings.

huiqi manage migrate
huiqi manage createsuperuser
huiqi manage runserver 127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "manage",
        help="平台管理命令（Django：migrate、createsuperuser、runserver 等）",
        description="运行 Django 管理命令，如 huiqi manage migrate；huiqi manage help 列出全部命令。",
        add_help=False,
    )
    p.add_argument("-h", "--help", action="store_true", help="列出全部管理命令")
    p.add_argument("arguments", nargs=argparse.REMAINDER, help="Django 管理命令及其参数")
    p.set_defaults(func=cmd_manage)


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    from huiqi.web import SETTINGS_MODULE

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    arguments = ["help"] if args.help and not args.arguments else args.arguments
    execute_from_command_line(["huiqi manage", *arguments])
    return 0
