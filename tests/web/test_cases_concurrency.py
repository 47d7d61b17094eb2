"""Two officials act on one case at the same moment (PostgreSQL): the row lock and the
version make exactly one win; the other gets the conflict message; the history stays whole."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from huiqi.cases import services
from huiqi.cases.models import Case, CaseEvent

from . import test_cases
from .test_cases import _complaint

world = test_cases.world
"""The shared fixture: departments, officials and enterprises of 长春 and 深圳."""

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks: it serialises writers (BEGIN IMMEDIATE), so two "
    "transactions never act at the same moment there",
)


@pytest.mark.django_db(transaction=True)
def test_two_officials_at_the_same_moment(world, monkeypatch):
    case = _complaint(world)
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}
    waited: dict[str, float] = {}
    append = services.append_event

    def slow_append(*args, **kwargs):
        # The winner holds the row lock a while: the other transaction must wait for it.
        time.sleep(0.5)
        return append(*args, **kwargs)

    monkeypatch.setattr(services, "append_event", slow_append)

    def act(user, action, note):
        try:
            mine = Case.objects.get(pk=case.pk)
            start.wait(timeout=10)
            began = time.monotonic()
            services.transition(user, mine, action, expected_version=1, note=note)
            outcome[action] = "won"
        except services.CaseConflict as exc:
            outcome[action] = str(exc)
            waited[action] = time.monotonic() - began
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(world.handler, "accept", "")),
        threading.Thread(target=act, args=(world.handler2, "reject", "不属于本部门职责")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcome) == ["accept", "reject"]
    winners = [a for a, result in outcome.items() if result == "won"]
    assert len(winners) == 1, outcome
    winner = winners[0]
    loser = "reject" if winner == "accept" else "accept"
    case.refresh_from_db()
    assert case.state == {"accept": "accepted", "reject": "rejected"}[winner]
    assert outcome[loser] == f"该事项已被他人处理（当前状态：{case.state_label}），请刷新后重试"
    assert case.version == 2
    events = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", "action"))
    assert events == [(1, "submit"), (2, winner)]
    # The loser waited on the row lock while the winner held it, then saw the new version.
    assert waited[loser] >= 0.4
