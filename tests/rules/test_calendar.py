"""Official working days: holidays, 调休 make-up working days, provisional years, override files.

民法典 第二百零一条第一款: 开始的当日不计入 — N working days from day D end on the N-th working
day after D."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from huiqi.errors import UserError
from huiqi.law import bundled
from huiqi.rules.calendar import (
    DECLARED_NOTICES,
    PERIOD_RULE,
    ScheduleFileError,
    UnscheduledYearError,
    WorkCalendar,
    load_schedule,
)

CASES = Path(__file__).parent / "cases" / "calendar.yaml"

# A test fixture, not an official schedule: the 2027 notice is not known on 2026-11-22.
FIXTURE_2027 = """\
years:
  2027:
    source:
      title: 测试用虚构通知：国务院办公厅关于2027年部分节假日安排的通知（非官方）
      published: 2026-11-01
    holidays:
      - name: 元旦
        from: 2027-01-01
        to: 2027-01-03
    makeup_workdays:
      - name: 春节
        date: 2027-02-06
"""


@pytest.fixture(scope="module")
def official() -> WorkCalendar:
    return WorkCalendar.official()


@pytest.fixture(scope="module")
def until_2026(official: WorkCalendar) -> WorkCalendar:
    """The package's years only, so 2027 stays unscheduled whatever chinese_calendar learns."""
    return WorkCalendar(official.schedule(y) for y in range(2004, 2027))


def _write(tmp_path: Path, text: str, name: str = "calendar_2027.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_package_covers_2004_to_2026(official):
    assert set(range(2004, 2027)) <= set(official.years)


def test_the_counting_rule_is_an_article_of_the_bundled_civil_code():
    node = bundled().document(PERIOD_RULE.document_id).find(PERIOD_RULE.node_id)
    assert node is not None
    assert "开始的当日不计入" in node.text
    assert PERIOD_RULE.text == "《中华人民共和国民法典》第二百零一条第一款"


def test_the_bundled_override_file_invents_no_year():
    path = resources.files("huiqi.rules").joinpath("data", "calendar_overrides.yaml")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"years": {}}


def test_changchun_complaint_received_before_national_day_2025(official):
    """长春 条例 第四十三条: 二十个工作日内书面答复. Received Friday 2025-09-26.

    国办发明电〔2024〕12号: 10月1日至8日放假调休; 9月28日（周日）、10月11日（周六）上班.
    Counting from 09-27: 09-27 Sat —; 09-28 Sun make-up 1; 09-29 2; 09-30 3; 10-01..10-08
    holidays —; 10-09 4; 10-10 5; 10-11 Sat make-up 6; 10-13..10-17 7–11; 10-20..10-24 12–16;
    10-27 17; 10-28 18; 10-29 19; 10-30 Thu 20. (Weekends alone would give 10-24.)
    """
    result = official.add_working_days(date(2025, 9, 26), 20)
    assert result.end == date(2025, 10, 30)
    assert result.working_days == 20
    assert not result.provisional
    assert result.reasons == ()
    assert result.notices == (DECLARED_NOTICES[2025],)
    assert result.citations == (
        "《中华人民共和国民法典》第二百零一条第一款",
        "《国务院办公厅关于2025年部分节假日安排的通知》（国办发明电〔2024〕12号）",
    )


def test_make_up_days_and_holidays_of_2025(official):
    assert official.is_working_day(date(2025, 9, 28))
    assert official.is_working_day(date(2025, 10, 11))
    assert not any(official.is_working_day(date(2025, 10, d)) for d in range(1, 9))


def test_a_deadline_into_an_unpublished_year_is_provisional_until_it_is_loaded(
    until_2026, tmp_path
):
    """Received Sunday 2026-12-20. 12-21..12-25 1–5; 12-28..12-31 6–9; then 2027:
    weekends only: 01-01 10; 01-04..01-08 11–15; 01-11..01-15 16–20 → 2027-01-15 (provisional).
    With the fixture's 01-01..01-03 holiday: 01-04..01-08 10–14; 01-11..01-15 15–19; 01-18 20."""
    received = date(2026, 12, 20)
    provisional = until_2026.add_working_days(received, 20)
    assert provisional.end == date(2027, 1, 15)
    assert provisional.provisional
    assert len(provisional.reasons) == 1
    assert provisional.reasons[0].startswith("2027年的节假日安排尚未公布（国务院办公厅通知）")
    assert "按周末推算" in provisional.reasons[0]
    assert provisional.notices == (DECLARED_NOTICES[2026],)

    loaded = until_2026.with_schedules(load_schedule(_write(tmp_path, FIXTURE_2027)))
    final = loaded.add_working_days(received, 20)
    assert final.end == date(2027, 1, 18)
    assert not final.provisional
    assert final.reasons == ()
    assert [n.year for n in final.notices] == [2026, 2027]
    assert final.notices[1].number is None
    assert final.citations[-1].startswith("《测试用虚构通知")


def test_from_files_adds_a_year_on_top_of_the_official_calendar(tmp_path):
    calendar = WorkCalendar.from_files(_write(tmp_path, FIXTURE_2027))
    assert 2027 in calendar.years
    assert not calendar.is_working_day(date(2027, 1, 1))
    assert calendar.is_working_day(date(2027, 2, 6))
    assert calendar.schedule(2027).origin == str(tmp_path / "calendar_2027.yaml")


def test_two_files_for_the_same_year_are_refused(tmp_path):
    first = _write(tmp_path, FIXTURE_2027, "a.yaml")
    second = _write(tmp_path, FIXTURE_2027, "b.yaml")
    with pytest.raises(ScheduleFileError, match="2027年的安排已在文件") as info:
        WorkCalendar.from_files(first, second)
    assert str(second) in str(info.value) and str(first) in str(info.value)


def test_is_working_day_refuses_a_year_without_schedule(until_2026):
    with pytest.raises(UnscheduledYearError, match="2027年的节假日安排"):
        until_2026.is_working_day(date(2027, 1, 4))


def test_counts_across_new_year_cite_both_notices(official):
    result = official.add_working_days(date(2025, 12, 25), 10)
    assert result.end == date(2026, 1, 9)
    assert result.notices == (DECLARED_NOTICES[2025], DECLARED_NOTICES[2026])


def test_working_days_between_does_not_count_the_first_day(official):
    assert official.working_days_between(date(2025, 9, 26), date(2025, 9, 26)).working_days == 0
    assert official.working_days_between(date(2025, 9, 26), date(2025, 9, 29)).working_days == 2


def test_bad_arguments(official):
    with pytest.raises(ValueError):
        official.add_working_days(date(2025, 1, 1), 0)
    with pytest.raises(ValueError):
        official.working_days_between(date(2025, 1, 2), date(2025, 1, 1))


def _without(*keys: str) -> str:
    """The fixture without the lines that hold these keys."""
    return "".join(
        line for line in FIXTURE_2027.splitlines(keepends=True) if not any(k in line for k in keys)
    )


# Override files that break a rule: each message names the file and the entry.
BAD_FILES = {
    "not YAML": ("years: [2027: {", "不是有效的 YAML/JSON", None),
    "top level": ("2027: {}", "顶层应当只有 years 一项", None),
    "repeated year": (
        FIXTURE_2027 + FIXTURE_2027.removeprefix("years:\n"),
        "重复的键：2027",
        "第",
    ),
    "date outside its year": (
        FIXTURE_2027.replace("to: 2027-01-03", "to: 2028-01-03"),
        "日期 2028-01-03 不在2027年内",
        "2027年 holidays 第1项（元旦）",
    ),
    "missing source": (_without("source:", "title:", "published:"), "缺少 source", "2027年"),
    "misspelt source key": (
        FIXTURE_2027.replace("      title:", "      name:"),
        "未知的项 name",
        "2027年 source",
    ),
    "source without title": (_without("title:"), "缺少 title", "2027年 source"),
    "no publication date": (_without("published:"), "缺少 published", "2027年 source"),
    "title of another year": (
        FIXTURE_2027.replace("关于2027年", "关于2026年"),
        "通知标题应当写明2027年",
        "2027年 source",
    ),
    "both holiday and make-up day": (
        FIXTURE_2027.replace("date: 2027-02-06", "date: 2027-01-02"),
        "2027-01-02 既列为放假日又列为调休上班日",
        "2027年 makeup_workdays 第1项（春节）",
    ),
    "make-up day on a weekday": (
        FIXTURE_2027.replace("date: 2027-02-06", "date: 2027-02-05"),
        "调休上班日应为周六或周日",
        "2027年 makeup_workdays 第1项（春节）",
    ),
    "not a date": (
        FIXTURE_2027.replace("from: 2027-01-01", "from: 2027-02-30"),
        "from 应当是日期",
        "2027年 holidays 第1项（元旦）",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_override_file_names_the_file_and_the_entry(tmp_path, case):
    text, problem, entry = BAD_FILES[case]
    path = _write(tmp_path, text)
    with pytest.raises(ScheduleFileError) as info:
        load_schedule(path)
    message = str(info.value)
    assert isinstance(info.value, UserError)
    assert message.startswith(f"文件 {path}")
    assert problem in message
    if entry:
        assert entry in message


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(ScheduleFileError, match="找不到该文件") as info:
        WorkCalendar.from_files(path)
    assert str(path) in str(info.value)


def test_json_is_accepted(tmp_path):
    text = (
        '{"years": {"2027": {"source": {"title": "测试用 2027年通知", "published": "2026-11-01"},'
        ' "holidays": [{"name": "元旦", "from": "2027-01-01"}]}}}'
    )
    (schedule,) = load_schedule(_write(tmp_path, text, "calendar.json"))
    assert schedule.year == 2027
    assert schedule.holidays == {date(2027, 1, 1)}
    assert schedule.notice.issuer == "国务院办公厅"


# Properties, on the official calendar (2027 and later counted by weekends, provisionally).
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2027, 6, 30))
counts = st.integers(min_value=1, max_value=90)


def _works(calendar: WorkCalendar, day: date) -> bool:
    if calendar.schedule(day.year) is None:
        return day.weekday() < 5
    return calendar.is_working_day(day)


@given(start=starts, n=counts)
def test_every_due_date_is_a_working_day(official, start, n):
    result = official.add_working_days(start, n)
    assert result.end > start
    assert _works(official, result.end)
    assert result.provisional == any(
        official.schedule(year) is None for year in range(start.year, result.end.year + 1)
    )
    assert official.working_days_between(start, result.end).working_days == n


@given(start=starts, later=st.integers(min_value=0, max_value=400), n=counts)
def test_a_later_start_never_gives_an_earlier_due_date(official, start, later, n):
    first = official.add_working_days(start, n).end
    assert official.add_working_days(start + timedelta(days=later), n).end >= first


@given(start=starts, n=counts)
def test_one_more_day_is_strictly_later(official, start, n):
    assert official.add_working_days(start, n + 1).end > official.add_working_days(start, n).end


# The cases a jurist reads: tests/rules/cases/calendar.yaml.
def _cases() -> list[dict]:
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case["name"])
def test_case(until_2026, case):
    facts, expected = case["facts"], case["expected"]
    if "working_days" in facts:
        result = until_2026.add_working_days(facts["start"], facts["working_days"])
        assert result.end == expected["due"]
    else:
        result = until_2026.working_days_between(facts["start"], facts["end"])
        assert result.working_days == expected["working_days"]
    assert result.provisional == expected["provisional"]
    assert list(result.citations) == expected["citations"]
    assert list(result.reasons) == expected.get("reasons", [])
