"""``huiqi manage case_supervisor USERNAME``: make an official a supervisor (负责人) of their
department for 诉求 (approves extensions, receives overdue escalations)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from huiqi.accounts.models import User
from huiqi.cases.services import appoint_supervisor


class Command(BaseCommand):
    help = "指定部门工作人员为本部门诉求办理负责人（审批延期、接收逾期督办）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="部门工作人员的用户名")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”")
        try:
            supervisor = appoint_supervisor(actor=None, user=user)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"{supervisor}：已指定为诉求办理负责人")
