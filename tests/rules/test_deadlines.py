"""Deadlines: the YAML cases, a loaded 2027 schedule, and properties of every due date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from huiqi.rules import errors
from huiqi.rules.calendar import WorkCalendar
from huiqi.rules.deadlines import (
    arrears_result_deadline,
    arrears_transfer_deadline,
    official_calendar,
    reply_deadline,
)
from huiqi.rules.packs import rules

from .cases import day, load_cases

# A test fixture, not an official schedule: the 2027 notice is not known on 2026-11-22.
FIXTURE_2027 = """\
years:
  2027:
    source:
      title: 国务院办公厅关于2027年部分节假日安排的通知（测试用）
      published: 2026-11-01
    holidays:
      - name: 元旦
        from: 2027-01-01
"""


def _run(case: dict):
    facts = case["facts"]
    rule = case["rule"]
    if rule == "complaint":
        rule_set = rules(facts["pack"]) if "pack" in facts else rules()
        return reply_deadline(day(facts["received"]), str(facts["jurisdiction"]), rule_set=rule_set)
    if rule == "arrears_transfer":
        return arrears_transfer_deadline(day(facts["accepted"]))
    assert rule == "arrears_result", rule
    return arrears_result_deadline(day(facts["received"]), extended=facts.get("extended", False))


def check_deadline_case(case: dict, run) -> None:
    if "error" in case:
        with pytest.raises(getattr(errors, case["error"]["type"])) as caught:
            run(case)
        for text in case["error"]["contains"]:
            assert str(text) in str(caught.value)
        return
    result = run(case)
    want = case["result"]
    for key, expected in want.items():
        actual = getattr(result, key)
        if key == "findings":
            assert len(actual) == expected, actual
        elif key == "interest":
            assert str(actual) == expected
        else:
            assert actual == expected, (key, actual)
    texts = [c.text for c in result.citations]
    assert texts[0] == case["citation"]
    for other in case.get("also_cites", []):
        assert other in texts


@pytest.mark.parametrize("case", load_cases("deadlines"))
def test_cases(case):
    check_deadline_case(case, _run)


def test_a_loaded_2027_schedule_makes_the_deadline_final(tmp_path):
    path = tmp_path / "2027.yaml"
    path.write_text(FIXTURE_2027, encoding="utf-8")
    provisional = reply_deadline(date(2026, 12, 20), "220100")
    final = reply_deadline(date(2026, 12, 20), "220100", calendar=WorkCalendar.from_files(path))
    assert provisional.provisional and "2027年" in provisional.reasons[0]
    assert not final.provisional and final.reasons == ()
    assert final.due == date(2027, 1, 18)
    assert any("2027年部分节假日安排" in c.text for c in final.citations)


def test_json_has_due_provisional_and_citation():
    data = reply_deadline(date(2026, 12, 20), "220100").to_dict()
    assert data["due"] == "2027-01-15"
    assert data["provisional"] is True
    assert data["citation"] == "《长春市促进中小企业发展条例》第四十三条"


_JURISDICTIONS = ("220100", "440300", "430000", "cn")
_days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 10, 31))


def _is_working_day(day_: date) -> bool:
    calendar = official_calendar()
    if day_.year in calendar.years:
        return calendar.is_working_day(day_)
    return day_.weekday() < 5


def _deadlines(received: date, jurisdiction: str) -> list[date]:
    out = [
        reply_deadline(received, jurisdiction).due,
        reply_deadline(received, "430000", rule_set=rules("hunan_revision_draft")).due,
    ]
    if received >= date(2025, 6, 1):
        out += [
            arrears_transfer_deadline(received).due,
            arrears_result_deadline(received).due,
            arrears_result_deadline(received, extended=True).due,
        ]
    return out


@given(received=_days, jurisdiction=st.sampled_from(_JURISDICTIONS))
def test_every_computed_due_date_is_a_working_day(received, jurisdiction):
    for due in _deadlines(received, jurisdiction):
        assert due > received
        assert _is_working_day(due), due


@given(
    received=_days,
    later=st.integers(min_value=0, max_value=60),
    jurisdiction=st.sampled_from(_JURISDICTIONS),
)
def test_a_later_receipt_never_gives_an_earlier_deadline(received, later, jurisdiction):
    second = received + timedelta(days=later)
    for first_due, second_due in zip(
        _deadlines(received, jurisdiction), _deadlines(second, jurisdiction), strict=False
    ):
        assert second_due >= first_due
