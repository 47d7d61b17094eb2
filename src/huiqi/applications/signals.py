"""A guard on the core's history: an application is redeemed (兑现) only with its amount and
date recorded, whichever page or endpoint took the action."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import post_save

from huiqi.cases.models import CaseEvent

from .casetype import KIND


def _redeemed(sender: Any, instance: CaseEvent, created: bool, **kwargs: Any) -> None:
    if not created or instance.action != "redeem" or instance.case.kind != KIND:
        return
    from .models import Application

    found = Application.objects.filter(case_id=instance.case_id).first()
    if found is None or found.amount is None or found.redeemed_on is None:
        raise ValidationError({"amount": "兑现须在申报办理页面填写兑现金额（万元）和兑现日期"})


def connect() -> None:
    post_save.connect(_redeemed, sender=CaseEvent, dispatch_uid="applications-redeem-amount")
