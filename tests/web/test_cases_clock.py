"""The deadline clock across the 2025 National Day / Mid-Autumn holiday, and the department
dashboard (pages and API) with frozen dates."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from huiqi.cases import services
from huiqi.cases.clock import run_clock, working_days_left
from huiqi.cases.models import Case, CaseEvent, Reminder

from . import test_cases
from .test_cases import _complaint, at

world = test_cases.world
"""The shared fixture: departments, officials and enterprises of 长春 and 深圳."""

# A complaint received in 长春 on Friday 2025-09-26. 长春 条例 第四十三条: twenty working days;
# 民法典 第二百零一条: counting starts the next day. The 2025 notice (国办发明电〔2024〕12号):
# 10-01..10-08 off, make-up working days Sunday 09-28 and Saturday 10-11.
#   09-27 Sat off          09-28 Sun  1   09-29  2   09-30  3
#   10-01..10-08 holiday   10-09      4   10-10  5   10-11 Sat  6
#   10-13  7  10-14  8  10-15  9  10-16 10  10-17 11
#   10-20 12  10-21 13  10-22 14  10-23 15  10-24 16
#   10-27 17  10-28 18  10-29 19  10-30 20  → due Thursday 2025-10-30.
DUE = date(2025, 10, 30)


def _freeze(monkeypatch, day: str, time: str = "15:00") -> None:
    moment = at(day, time)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _act(user, case, action, **kwargs):
    case.refresh_from_db()
    return services.transition(user, case, action, expected_version=case.version, **kwargs)


def _marks(case: Case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case, actor__isnull=True)
        .exclude(action="submit")
        .values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_overdue_marking_across_the_national_day_holiday(world):
    case = _complaint(world)
    _act(world.handler, case, "accept")
    assert case.due_on == DUE
    assert working_days_left(date(2025, 9, 30), DUE) == 18  # 09-30 itself is the 3rd
    assert working_days_left(date(2025, 10, 27), DUE) == 4

    for day in ("2025-10-08", "2025-10-24", "2025-10-27"):
        report = run_clock(date.fromisoformat(day))
        assert report.due_soon == [] and report.overdue == [], day
    assert _marks(case) == []

    report = run_clock(date(2025, 10, 28))  # 10-28, 10-29, 10-30 left
    assert report.due_soon == [case.number]
    case.refresh_from_db()
    assert case.due_soon_on == date(2025, 10, 28)
    reminded = set(Reminder.objects.filter(case=case).values_list("user__username", "kind"))
    assert reminded == {
        ("cc-handler", "due_soon"),
        ("cc-handler2", "due_soon"),
        ("cc-chief", "due_soon"),
    }

    report = run_clock(DUE)  # the last day is not late
    assert report.overdue == [] and report.due_soon == []

    call_command("case_clock", "--today", "2025-10-31")
    case.refresh_from_db()
    assert case.overdue_on == date(2025, 10, 31)
    assert _marks(case) == ["due_soon", "overdue", "escalate"]
    escalation = CaseEvent.objects.get(case=case, action="escalate")
    assert "cc-chief" in escalation.note
    assert Reminder.objects.get(case=case, kind="escalated").user == world.supervisor
    assert Reminder.objects.filter(case=case, kind="overdue").count() == 3

    # Idempotent: later runs add no event and no reminder.
    events, reminders = CaseEvent.objects.count(), Reminder.objects.count()
    for day in ("2025-10-31", "2025-11-03"):
        report = run_clock(date.fromisoformat(day))
        assert report.overdue == [] and report.reminders == 0
    assert (CaseEvent.objects.count(), Reminder.objects.count()) == (events, reminders)
    # The events did not bump the version: an official's open page stays valid.
    assert case.version == 2


@pytest.mark.django_db
def test_a_replied_case_is_never_overdue(world, monkeypatch):
    case = _complaint(world)
    _act(world.handler, case, "accept")
    _act(world.handler, case, "investigate")
    _act(world.handler, case, "reply", note="已答复")
    assert run_clock(date(2025, 12, 1)).overdue == []
    assert _marks(case) == []


@pytest.mark.django_db
def test_the_clock_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="应当是日期"):
        call_command("case_clock", "--today", "10/31/2025")


@pytest.mark.django_db
def test_dashboard_figures_on_pages_and_api(world, client, monkeypatch):
    # On time: received 09-26, replied 10-20 — 12 working days (09-28 … 10-20).
    _freeze(monkeypatch, "2025-09-26")
    first = _complaint(world)
    for action in ("accept", "investigate"):
        _act(world.handler, first, action)
    _freeze(monkeypatch, "2025-10-20")
    _act(world.handler, first, "reply", note="已拨付")
    # Open and overdue: received 09-26, due 10-30.
    late = _complaint(world, title="逾期未答复的投诉")
    _act(world.handler, late, "accept")
    # A 举报 received 10-09 (due 11-05), replied 10-31 — 17 working days (10-10 … 10-31).
    _freeze(monkeypatch, "2025-10-09")
    third = _complaint(world, kind="report", received_at=at("2025-10-09"))
    for action in ("accept", "investigate"):
        _act(world.handler, third, action)
    _freeze(monkeypatch, "2025-10-31")
    _act(world.handler, third, "reply", note="已查处")
    # A 南关区 case: in the official's view (2201xx), not in the department's figures.
    other = _complaint(world, user=world.user_b)

    _freeze(monkeypatch, "2025-11-03")
    client.force_login(world.handler)
    figures = client.get("/api/cases/dashboard").json()
    assert figures["today"] == "2025-11-03"
    assert figures["total"] == 3
    assert (figures["replied"], figures["on_time"], figures["late"]) == (2, 2, 1)
    assert figures["on_time_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert figures["average_working_days"] == 14.5
    assert {b["label"]: b["count"] for b in figures["by_state"]} == {"已答复": 2, "已受理": 1}
    assert {b["label"]: b["count"] for b in figures["by_type"]} == {"投诉": 2, "举报": 1}
    assert [c["number"] for c in figures["overdue"]] == [late.number]
    page = client.get("/cases/dashboard/").content.decode()
    assert "67%" in page and "14.5 个工作日" in page and "<svg" in page
    assert late.number in page and first.number not in page
    overdue_queue = client.get("/cases/?due=overdue").content.decode()
    assert late.number in overdue_queue and third.number not in overdue_queue
    listed = client.get("/api/cases/?due=overdue").json()["items"]
    assert [c["number"] for c in listed] == [late.number, other.number]
    client.force_login(world.user_a)
    assert client.get("/api/cases/dashboard").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_clock_thread_marks_an_overdue_case(world, monkeypatch, flushable_case_history):
    """Where a worker runs (the demo server), the clock ticks in a thread: a case past its
    due date is marked overdue and escalated without anyone running the command."""
    import time

    from huiqi.cases import worker

    case = _complaint(world)
    _act(world.handler, case, "accept")
    _freeze(monkeypatch, "2025-10-31")  # the day after the due date (see DUE)
    thread, stop = worker.start_in_background(interval=60)
    try:
        for _ in range(100):
            case.refresh_from_db()
            if case.overdue_on is not None:
                break
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert case.overdue_on == date(2025, 10, 31)
    assert "escalate" in _marks(case)
