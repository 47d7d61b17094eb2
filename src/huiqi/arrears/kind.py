"""The case type 拖欠账款投诉 on the case core: its machine, its deadlines per stage and what a
transition does to the details.

保障中小企业款项支付条例（2025）第二十五条: the accepting department (受理投诉部门) transfers the
complaint within 10 working days of 正式受理 (第一款); the handling department (处理投诉部门)
reaches a result within 30 days of receiving the materials, at most 90 with the 部门负责人's
approval (第二款). The deadline that runs therefore changes with the state: the transfer
period from 受理, the result period from 转交 (:func:`on_transition`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from huiqi.accounts.models import Department
from huiqi.cases import services
from huiqi.cases.machine import Action, Actor, CaseType, Effect, State, _machine
from huiqi.rules.deadlines import Deadline, arrears_result_deadline, arrears_transfer_deadline

from .models import ArrearsComplaint, DebtorCheck, Result

KEY = "arrears"

_H = frozenset({Actor.HANDLER})
_S = frozenset({Actor.SUPERVISOR})
_RESULT_STAGE = ("transferred", "processing")

MACHINE = _machine(
    (
        State("submitted", "待受理", clock=True),
        State("accepted", "已受理", clock=True),
        State("transferred", "已转交", clock=True),
        State("processing", "处理中", clock=True),
        State("closed", "已办结", clock=False, final=True),
        State("rejected", "不予受理", clock=False, final=True),
    ),
    (
        Action("accept", "受理", ("submitted",), "accepted", _H),
        Action(
            "reject",
            "不予受理",
            ("submitted",),
            "rejected",
            _H,
            note_required=True,
            note_label="不予受理的理由",
        ),
        Action(
            "transfer",
            "转交处理投诉部门",
            ("accepted",),
            "transferred",
            _H,
            generic=False,
        ),
        Action("process", "开始处理", ("transferred",), "processing", _H),
        Action(
            "confirm",
            "确认拖欠",
            ("processing",),
            "closed",
            _H,
            note_required=True,
            note_label="处理结果（书面反馈投诉人）",
            effect=Effect.REPLY,
        ),
        Action(
            "not_confirmed",
            "未确认拖欠",
            ("processing",),
            "closed",
            _H,
            note_required=True,
            note_label="处理结果（书面反馈投诉人）",
            effect=Effect.REPLY,
        ),
        Action(
            "request_extension",
            "申请延期",
            _RESULT_STAGE,
            None,
            _H,
            note_required=True,
            note_label="延期理由（情况复杂或者有其他特殊原因）",
            effect=Effect.REQUEST_EXTENSION,
        ),
        Action(
            "approve_extension",
            "批准延期",
            _RESULT_STAGE,
            None,
            _S,
            effect=Effect.APPROVE_EXTENSION,
            needs_pending_extension=True,
        ),
        Action(
            "deny_extension",
            "不批准延期",
            _RESULT_STAGE,
            None,
            _S,
            note_required=True,
            note_label="不批准的理由",
            effect=Effect.DENY_EXTENSION,
            needs_pending_extension=True,
        ),
        Action(
            "rate",
            "评价",
            ("closed",),
            None,
            frozenset({Actor.SUBMITTER}),
            effect=Effect.RATE,
            once=True,
        ),
    ),
    initial="submitted",
)
"""待受理 → 已受理 → 已转交 → 处理中 → 已办结 (确认拖欠 or 未确认拖欠, the written result), or
不予受理 with the reason; the result period extended only with a supervisor's approval."""

_RESULT_RESULTS = {"confirm": Result.CONFIRMED, "not_confirmed": Result.NOT_CONFIRMED}


def intake_deadline(received: date, division: str) -> Deadline:
    """Before 正式受理 the transfer period is shown counted from receipt (the earliest day the
    case can be accepted); 受理 restarts it from the day of acceptance (第二十五条第一款)."""
    deadline = arrears_transfer_deadline(received)
    note = "尚未正式受理：按收到之日计算；受理后自受理之日起重新计算"
    return replace(deadline, notes=(note, *deadline.notes))


def result_deadline(received: date, division: str) -> Deadline:
    """第二十五条第二款: 30 days from the handling department's receipt of the materials."""
    deadline = arrears_result_deadline(received)
    note = "处理投诉部门自收到投诉材料之日（转交之日）起计算"
    return replace(deadline, notes=(note, *deadline.notes))


def extended_deadline(received: date, division: str) -> Deadline:
    """第二十五条第二款: 经部门负责人批准可适当延长，但处理期限最长不得超过90日."""
    return arrears_result_deadline(received, extended=True)


def on_transition(
    case: Any, action: Action, data: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """The stage's deadline and the details: 受理 (refused for a debtor the registry shows was
    an SME) starts the transfer period; 转交 moves the case to the handling department and
    starts the result period; 确认拖欠 / 未确认拖欠 record the result."""
    day = timezone.localdate(now)
    if action.key == "accept":
        details = ArrearsComplaint.objects.get(case=case)
        if details.debtor_check == DebtorCheck.SME:
            raise services.InvalidTransition(
                f"不能受理：{details.debtor_check_note}。请以不予受理办结并说明理由"
            )
        return services.restart_deadline(case, arrears_transfer_deadline(day))
    if action.key == "transfer":
        department = _department(data.get("department"))
        recorded: dict[str, Any] = {
            "from_department": case.department.name,
            "department": department.name,
        }
        case.department = department
        case.jurisdiction = department.jurisdiction
        return recorded | services.restart_deadline(case, result_deadline(day, ""))
    if action.key in _RESULT_RESULTS:
        result = _RESULT_RESULTS[action.key]
        ArrearsComplaint.objects.filter(case=case).update(result=result, result_on=day)
        return {"result": result.value}
    return {}


def _department(pk: Any) -> Department:
    found = Department.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if found is None:
        raise ValidationError({"department": "请选择处理投诉部门"})
    return found


ARREARS = CaseType(
    key=KEY,
    label="拖欠账款投诉",
    prefix="QK",
    machine=MACHINE,
    deadline=intake_deadline,
    extension=extended_deadline,
    protected=True,
    description="机关、事业单位和大型企业拖欠中小企业款项的投诉。",
    intake=False,
    on_transition=on_transition,
    section="arrears/_section.html",
)
"""拖欠账款投诉 (QK-2025-000001): the complainant's identity protected as for 举报
(第二十五条第五款, 第二十条)."""
