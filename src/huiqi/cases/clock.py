"""The deadline clock: marks cases due soon and overdue, reminds the handling department and
escalates overdue cases to its supervisors — once per case (running it again changes nothing).

长春 条例 第四十四条第（二）项 and 湖南 办法 第三十五条 make a department that does not handle a
诉求 in time answerable; the clock makes the date visible before it passes.

- due soon: the deadline has not passed and at most :data:`DUE_SOON` working days are left,
  today included when it is a working day;
- overdue: today is after the (extended) due date and the case still waits for its reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from huiqi.accounts.models import Role, User
from huiqi.audit import services as audit
from huiqi.audit.models import Action as AuditAction
from huiqi.rules.calendar import WorkCalendar
from huiqi.rules.deadlines import official_calendar

from .machine import case_types
from .models import Case, CaseSupervisor, Reminder, ReminderKind
from .services import append_event

DUE_SOON = 3
"""Working days left (today included) at which a case is due soon."""


@dataclass
class ClockReport:
    today: date
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    reminders: int = 0


def working_days_left(today: date, due: date, calendar: WorkCalendar | None = None) -> int:
    """Working days from ``today`` (included) to ``due`` (included); 0 once it has passed."""
    if today > due:
        return 0
    calendar = calendar or official_calendar()
    return calendar.working_days_between(today - timedelta(days=1), due).working_days


def running() -> Q:
    """The cases whose reply deadline is running (their type's clock states)."""
    query = Q(pk__in=[])
    for case_type in case_types():
        query |= Q(kind=case_type.key, state__in=case_type.machine.clock_states)
    return query


def overdue(today: date) -> Q:
    """Cases past their (extended) due date whose reply is still owed on ``today``."""
    late = Q(extended_due_on__isnull=True, due_on__lt=today) | Q(extended_due_on__lt=today)
    return running() & late


def run_clock(today: date | None = None, calendar: WorkCalendar | None = None) -> ClockReport:
    """Mark and remind, one transaction per case."""
    today = today or timezone.localdate()
    calendar = calendar or official_calendar()
    report = ClockReport(today)
    candidates = Case.objects.filter(running()).filter(
        Q(overdue_on__isnull=True) | Q(due_soon_on__isnull=True)
    )
    for pk in candidates.values_list("pk", flat=True).order_by("pk"):
        _tick(pk, today, calendar, report)
    return report


@transaction.atomic
def _tick(pk: int, today: date, calendar: WorkCalendar, report: ClockReport) -> None:
    case = Case.objects.select_for_update().select_related("department").get(pk=pk)
    if not case.clock_running:
        return
    due = case.effective_due_on
    before = audit.snapshot(case, ("due_soon_on", "overdue_on"))
    if today > due and case.overdue_on is None:
        case.overdue_on = today
        case.save(update_fields=["overdue_on"])
        text = f"{case.number}“{case.title}”已超过答复期限 {due.isoformat()}，尚未书面答复"
        append_event(case, None, "overdue", "", "", note=text, data={"due_on": due.isoformat()})
        report.reminders += _remind(case, _handlers(case), ReminderKind.OVERDUE, today, text)
        supervisors = [s.user for s in CaseSupervisor.objects.filter(department=case.department)]
        escalation = (
            f"已逾期，转本部门负责人督办：{'、'.join(u.get_username() for u in supervisors)}"
            if supervisors
            else "已逾期；本部门尚未指定负责人，请管理员指定"
        )
        append_event(case, None, "escalate", "", "", note=escalation)
        report.reminders += _remind(case, supervisors, ReminderKind.ESCALATED, today, text)
        report.overdue.append(case.number)
    elif today <= due and case.due_soon_on is None:
        left = working_days_left(today, due, calendar)
        if left > DUE_SOON:
            return
        case.due_soon_on = today
        case.save(update_fields=["due_soon_on"])
        text = f"{case.number}“{case.title}”将于 {due.isoformat()} 到期，含今天还剩 {left} 个工作日"
        append_event(case, None, "due_soon", "", "", note=text, data={"left": left})
        report.reminders += _remind(case, _handlers(case), ReminderKind.DUE_SOON, today, text)
        report.due_soon.append(case.number)
    else:
        return
    after = audit.snapshot(case, ("due_soon_on", "overdue_on"))
    audit.record([audit.entry(None, AuditAction.UPDATE, case, before, after)])


def _handlers(case: Case) -> list[User]:
    return list(User.objects.filter(department=case.department, role=Role.OFFICIAL, is_active=True))


def _remind(case: Case, users: list[User], kind: ReminderKind, today: date, text: str) -> int:
    made = 0
    for user in users:
        _, created = Reminder.objects.get_or_create(
            case=case,
            user=user,
            kind=kind,
            defaults={"on": today, "message": text, "created_at": timezone.now()},
        )
        made += created
    return made
