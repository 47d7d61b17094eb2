"""A department's figures: cases by state and type, on-time rate, overdue cases, average
handling time in official working days. Pages, API (and the annual report) read these."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.rules.deadlines import official_calendar

from . import machine
from .clock import overdue
from .models import Case


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int
    """Of the largest bar, for the chart."""
    y: int
    """The bar's row in the chart (10 units a row)."""


@dataclass(frozen=True)
class Figures:
    today: date
    total: int
    by_state: list[Bar]
    by_type: list[Bar]
    replied: int
    on_time: int
    late: int
    on_time_rate: float | None
    """Replied by the (extended) due date, of the replied and the overdue unanswered."""
    average_working_days: float | None
    """From receipt to the written reply, in official working days (民法典 第二百零一条)."""
    overdue: list[Case]

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "total": self.total,
            "by_state": [{"label": b.label, "count": b.count} for b in self.by_state],
            "by_type": [{"label": b.label, "count": b.count} for b in self.by_type],
            "replied": self.replied,
            "on_time": self.on_time,
            "late": self.late,
            "on_time_rate": self.on_time_rate,
            "average_working_days": self.average_working_days,
            "overdue": [
                {
                    "number": c.number,
                    "title": c.title,
                    "due_on": c.effective_due_on.isoformat(),
                    "state": c.state_label,
                }
                for c in self.overdue
            ],
        }


def _bars(counts: Counter[str]) -> list[Bar]:
    top = max(counts.values(), default=0)
    return [
        Bar(label, n, round(100 * n / top) if top else 0, 10 * row + 2)
        for row, (label, n) in enumerate(counts.most_common())
    ]


def figures(cases: QuerySet[Case], today: date | None = None) -> Figures:
    """The figures of ``cases`` (already scoped to the viewer) on ``today``."""
    today = today or timezone.localdate()
    calendar = official_calendar()
    rows = list(
        cases.values_list("kind", "state", "received_on", "due_on", "extended_due_on", "replied_at")
    )
    by_state: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    on_time = late = 0
    days = []
    for kind, state, received_on, due_on, extended, replied_at in rows:
        by_state[machine.state_label(kind, state)] += 1
        by_type[machine.case_type(kind).label] += 1
        if replied_at is None:
            continue
        replied_on = timezone.localdate(replied_at)
        if replied_on <= (extended or due_on):
            on_time += 1
        else:
            late += 1
        days.append(calendar.working_days_between(received_on, replied_on).working_days)
    late_open = list(
        cases.filter(overdue(today)).select_related("department").order_by("due_on", "pk")
    )
    judged = on_time + late + len(late_open)
    return Figures(
        today=today,
        total=len(rows),
        by_state=_bars(by_state),
        by_type=_bars(by_type),
        replied=on_time + late,
        on_time=on_time,
        late=late + len(late_open),
        on_time_rate=round(on_time / judged, 4) if judged else None,
        average_working_days=round(sum(days) / len(days), 1) if days else None,
        overdue=late_open,
    )


def department_cases(user: Any) -> QuerySet[Case]:
    """The cases a dashboard counts: an official's department's; an administrator's, all."""
    cases = Case.objects.visible_to(user)
    if authz.is_administrator(user):
        return cases
    return cases.filter(department=user.department_id)
