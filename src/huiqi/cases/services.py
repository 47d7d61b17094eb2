"""Operations that change cases: intake, transitions, supervisors. Each is one transaction
with its event (append-only) and its audit entry.

Concurrency: :func:`transition` locks the case row (``SELECT … FOR UPDATE``) and compares the
version the actor saw; the second of two officials acting at once gets :class:`CaseConflict`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.accounts.models import Department, Role, User
from huiqi.audit import services as audit
from huiqi.audit.models import Action as AuditAction
from huiqi.enterprises.models import Enterprise
from huiqi.errors import UserError
from huiqi.rules.deadlines import Deadline

from . import access, files, machine
from .machine import Actor, Effect
from .models import Attachment, Case, CaseEvent, CaseSequence, CaseSupervisor, Satisfaction

_WEEKDAYS = "一二三四五六日"
_ACTORS = {
    Actor.HANDLER: "办理部门工作人员",
    Actor.SUPERVISOR: "办理部门负责人",
    Actor.SUBMITTER: "提交诉求的企业",
}
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_TRACKED = (
    "state",
    "version",
    "extended_due_on",
    "extension_pending",
    "replied_at",
    "closed_at",
    "satisfaction",
    "due_on",
    "department",
)


class CaseConflict(UserError):
    """The case changed since the actor saw it."""

    def __init__(self, case: Case) -> None:
        self.case = case
        super().__init__(f"该事项已被他人处理（当前状态：{case.state_label}），请刷新后重试")


class InvalidTransition(UserError):
    """An action the case's state does not allow."""


class NoDepartment(UserError):
    """No department receives cases for a division."""


@dataclass(frozen=True)
class Upload:
    """A file given to a service: its original name and its bytes."""

    name: str
    data: bytes

    @classmethod
    def of(cls, uploaded: UploadedFile | None) -> Upload | None:
        if uploaded is None:
            return None
        if uploaded.size is not None and uploaded.size > files.MAX_SIZE:
            raise files.AttachmentError(
                f"文件“{uploaded.name}”超过 10 MB（{uploaded.size / 1024 / 1024:.1f} MB）"
            )
        return cls(uploaded.name or "附件", uploaded.read())


def route(district: str) -> Department:
    """The department that handles cases of ``district``: the one whose jurisdiction covers
    it most specifically (区县 before 市 before 省); among several of one jurisdiction, the
    first registered."""
    candidates = [
        d
        for d in Department.objects.order_by("pk")
        if district.startswith(authz.division_prefix(d.jurisdiction))
    ]
    if not candidates:
        raise NoDepartment(f"地区 {district} 还没有受理诉求的部门，请联系上级主管部门")
    return max(candidates, key=lambda d: len(authz.division_prefix(d.jurisdiction)))


def explain(deadline: Deadline) -> str:
    """The due date in words, with the notes and provisional reasons."""
    due = deadline.due
    text = (
        f"{deadline.label}：{deadline.period.text}，自 {deadline.start.isoformat()} 的次日起算，"
        f"至 {due.isoformat()}（星期{_WEEKDAYS[due.weekday()]}）届满。"
    )
    extra = "；".join((*deadline.notes, *deadline.reasons))
    return text + (extra + "。" if extra else "")


def submit(
    *,
    actor: User,
    kind: str,
    title: str,
    content: str,
    contact: str = "",
    district: str = "",
    upload: Upload | None = None,
    received_at: datetime | None = None,
) -> Case:
    """An enterprise files a case; it is routed to the department of its district."""
    uscc = authz.enterprise_of(actor)
    if uscc is None:
        raise PermissionDenied("只有企业用户可以提交诉求")
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    where = enterprise.district if enterprise is not None else district
    if not where:
        raise ValidationError({"district": "本企业不在企业名录中，请选择所在地区"})
    return _intake(
        actor=actor,
        kind=kind,
        title=title,
        content=content,
        contact=contact,
        district=where,
        enterprise=enterprise,
        upload=upload,
        received_at=received_at,
    )[0]


def submit_anonymous(
    *,
    title: str,
    content: str,
    district: str,
    contact: str = "",
    upload: Upload | None = None,
    received_at: datetime | None = None,
) -> tuple[Case, str]:
    """An anonymous 举报; returns the case and the receipt code (shown once) that, with the
    number, lets the reporter follow it."""
    return _intake(
        actor=None,
        kind="report",
        title=title,
        content=content,
        contact=contact,
        district=district,
        enterprise=None,
        upload=upload,
        received_at=received_at,
    )


def receipt_case(number: str, code: str) -> Case | None:
    """The anonymous case with this number and receipt code, or None."""
    case = Case.objects.filter(number=number.strip().upper(), anonymous=True).first()
    digest = _digest(code.strip().upper())
    if case is None or not hmac.compare_digest(case.receipt_digest, digest):
        return None
    return case


@transaction.atomic
def _intake(
    *,
    actor: User | None,
    kind: str,
    title: str,
    content: str,
    contact: str,
    district: str,
    enterprise: Enterprise | None,
    upload: Upload | None,
    received_at: datetime | None,
) -> tuple[Case, str]:
    types = {t.key: t for t in machine.intake_types()}
    errors = {}
    if kind not in types:
        errors["kind"] = "请选择诉求类型：" + "、".join(t.label for t in types.values())
    if not title.strip():
        errors["title"] = "请填写标题"
    if not content.strip():
        errors["content"] = "请填写内容"
    if errors:
        raise ValidationError(errors)
    case_type = types[kind]
    if actor is None and not case_type.anonymous:
        raise PermissionDenied(f"{case_type.label}需要登录后提交")
    checked = files.check(upload.name, upload.data) if upload else None
    try:
        department = route(district)
    except NoDepartment as exc:
        raise ValidationError({"district": str(exc)}) from None
    received_at = received_at or timezone.now()
    received_on = timezone.localdate(received_at)
    deadline = case_type.deadline(received_on, department.jurisdiction)
    code = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(10)) if actor is None else ""
    case = Case(
        number=next_number(case_type.prefix, received_on.year),
        kind=kind,
        state=case_type.machine.initial,
        jurisdiction=department.jurisdiction,
        department=department,
        enterprise=enterprise,
        submitted_by=actor,
        anonymous=actor is None,
        contact=contact.strip()[:200],
        subject_district=district,
        title=title.strip()[:200],
        content=content.strip(),
        received_at=received_at,
        received_on=received_on,
        due_on=deadline.due,
        due_basis=deadline.to_dict(),
        due_explanation=explain(deadline),
        receipt_digest=_digest(code) if code else "",
    )
    case.full_clean(exclude=["receipt_digest"])
    case.save()
    event = append_event(case, actor, "submit", "", case.state, note="", at=received_at)
    stored = attach(case, event, actor, checked) if checked else None
    try:
        # A protected complainant's identity stays out of the audit log (read by administrators
        # and other departments): the entry names no actor and records no complainant field.
        protected = case_type.protected
        after = audit.snapshot(case, ("number", "kind", "state", "department", "due_on"))
        if not protected:
            after |= audit.snapshot(case, ("enterprise", "submitted_by"))
        audit.record(
            [audit.entry(None if protected else actor, AuditAction.CREATE, case, None, after)]
        )
    except BaseException:
        if stored:
            files.discard(stored)
        raise
    return case, code


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def next_number(prefix: str, year: int) -> str:
    """The next case number of a type and year (TS-2025-000123), from a locked counter: no
    two cases share one, whatever their type's app."""
    counter, _ = CaseSequence.objects.get_or_create(prefix=prefix, year=year)
    counter = CaseSequence.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def append_event(
    case: Case,
    actor: User | None,
    action: str,
    from_state: str,
    to_state: str,
    *,
    note: str,
    data: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """The next event of ``case`` (whose row the caller holds locked, or has just created)."""
    last = CaseEvent.objects.filter(case=case).aggregate(m=Max("seq"))["m"] or 0
    event = CaseEvent(
        case=case,
        seq=last + 1,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=dict(data or {}),
    )
    event.save()
    return event


def attach(case: Case, event: CaseEvent, actor: User | None, checked: files.Checked) -> str:
    """Store a checked file under MEDIA_ROOT/cases as an attachment of ``event``; the stored
    file is removed again if its record cannot be written."""
    relative = files.store(checked)
    try:
        Attachment.objects.create(
            case=case,
            event=event,
            path=relative,
            name=checked.name,
            size=len(checked.data),
            content_type=checked.content_type,
            sha256=checked.sha256,
            uploaded_by=actor,
            uploaded_at=event.at,
        )
    except BaseException:
        files.discard(relative)
        raise
    return relative


def transition(
    actor: User,
    case: Case,
    action: str,
    *,
    expected_version: int,
    note: str = "",
    data: Mapping[str, Any] | None = None,
    upload: Upload | None = None,
) -> Case:
    """Take ``action`` on ``case`` as ``actor``, who saw the case at ``expected_version``.

    Raises :class:`CaseConflict` when someone changed the case since, ``PermissionDenied``
    when ``actor`` may not take the action, :class:`InvalidTransition` when the state does
    not allow it, ``ValidationError`` for a missing reason or reply, and
    :class:`~huiqi.cases.deadlines.ExtensionNotAllowed` for an extension the law does not
    allow."""
    checked = files.check(upload.name, upload.data) if upload else None
    stored: list[str] = []
    try:
        with transaction.atomic():
            return _transition(
                actor, case.pk, action, expected_version, note, data or {}, checked, stored
            )
    except BaseException:
        for relative in stored:
            files.discard(relative)
        raise


def _transition(
    actor: User,
    pk: int,
    key: str,
    expected_version: int,
    note: str,
    data: Mapping[str, Any],
    checked: files.Checked | None,
    stored: list[str],
) -> Case:
    case = Case.objects.select_for_update().get(pk=pk)
    case_type = case.case_type
    action = case_type.machine.actions.get(key)
    if action is None:
        raise InvalidTransition(f"“{key}”不是{case_type.label}的办理操作")
    if case.version != expected_version:
        raise CaseConflict(case)
    parts = access.actors_of(actor, case)
    if not parts & action.actors:
        who = "或".join(_ACTORS[a] for a in sorted(action.actors))
        raise PermissionDenied(f"只有{who}可以{action.label}")
    if case.state not in action.sources:
        raise InvalidTransition(f"当前状态（{case.state_label}）不能{action.label}")
    note = note.strip()
    if action.note_required and not note:
        raise ValidationError({"note": f"请填写{action.note_label}"})
    if action.needs_pending_extension and not case.extension_pending:
        raise InvalidTransition("没有待批准的延期申请")
    if action.once and CaseEvent.objects.filter(case=case, action=key).exists():
        raise InvalidTransition(f"已经{action.label}过，不能重复{action.label}")
    if checked is not None and action.effect is not Effect.REPLY:
        raise ValidationError({"file": f"{action.label}不附文件"})

    before = audit.snapshot(case, _TRACKED)
    now = timezone.now()
    recorded: dict[str, Any] = {}
    _effect(case, action, note, data, now, recorded)
    if action.target:
        case.state = action.target
        if case_type.machine.state(action.target).final:
            case.closed_at = now
    if case_type.on_transition is not None:
        recorded.update(case_type.on_transition(case, action, data, now))
    from_state = before["state"]
    case.version += 1
    case.save()
    event = append_event(
        case,
        actor,
        key,
        from_state,
        case.state if action.target else "",
        note=note,
        data=recorded,
        at=now,
    )
    if checked is not None:
        stored.append(attach(case, event, actor, checked))
    after = audit.snapshot(case, _TRACKED)
    audit.record([audit.entry(actor, AuditAction.UPDATE, case, before, after)])
    return case


def _effect(
    case: Case,
    action: machine.Action,
    note: str,
    data: Mapping[str, Any],
    now: datetime,
    recorded: dict[str, Any],
) -> None:
    effect = action.effect
    if effect is Effect.REPLY:
        case.reply = note
        case.replied_at = now
    elif effect is Effect.REQUEST_EXTENSION:
        if case.extension_pending:
            raise InvalidTransition("已有待批准的延期申请")
        extended = case.case_type.extension(deadline_start(case), case.jurisdiction)
        recorded["proposed_due_on"] = extended.due.isoformat()
        case.extension_pending = True
    elif effect is Effect.APPROVE_EXTENSION:
        extended = case.case_type.extension(deadline_start(case), case.jurisdiction)
        case.extended_due_on = extended.due
        case.extension_pending = False
        recorded["extended_due_on"] = extended.due.isoformat()
        recorded["basis"] = extended.to_dict()
        recorded["explanation"] = explain(extended)
    elif effect is Effect.DENY_EXTENSION:
        case.extension_pending = False
    elif effect is Effect.RATE:
        rating = data.get("rating", "")
        if rating not in Satisfaction.values:
            raise ValidationError({"rating": "请选择好评、中评或差评"})
        case.satisfaction = rating
        case.satisfaction_comment = note
        recorded["rating"] = rating


def deadline_start(case: Case) -> date:
    """The day the running deadline counts from: the receipt, or the day a stage's deadline
    restarted it (:func:`restart_deadline`)."""
    start = case.due_basis.get("start")
    return date.fromisoformat(start) if start else case.received_on


def restart_deadline(case: Case, deadline: Deadline) -> dict[str, Any]:
    """Give ``case`` (locked by the caller) a new deadline for the stage it enters (a
    :attr:`~huiqi.cases.machine.CaseType.on_transition` hook); an extension and the clock's
    marks belonged to the former deadline. Returns the data for the event."""
    case.due_on = deadline.due
    case.due_basis = deadline.to_dict()
    case.due_explanation = explain(deadline)
    case.extended_due_on = None
    case.extension_pending = False
    case.due_soon_on = None
    case.overdue_on = None
    return {"due_on": deadline.due.isoformat(), "explanation": case.due_explanation}


@transaction.atomic
def appoint_supervisor(*, actor: User | None, user: User) -> CaseSupervisor:
    """Make an official a supervisor (负责人) of their department: approves extensions and
    receives overdue escalations."""
    if user.role != Role.OFFICIAL or user.department_id is None:
        raise ValidationError({"user": "负责人必须是部门工作人员"})
    supervisor, created = CaseSupervisor.objects.get_or_create(
        department_id=user.department_id, user=user
    )
    if created:
        after = {"department": user.department_id, "user": user.pk}
        audit.record([audit.entry(actor, AuditAction.CREATE, supervisor, None, after)])
    return supervisor
