"""Official working days (工作日): the State Council's holidays and 调休 make-up working days.

A period in working days is counted under 《中华人民共和国民法典》第二百零一条第一款: 按照年、月、
日计算期间的，开始的当日不计入，自下一日开始计算. "N working days from day D" therefore ends on
the N-th working day strictly after D. That day is a working day, so 第二百零三条 (a last day on a
法定休假日 moves to the next day) never shifts it.

Each year's schedule is the one the 国务院办公厅 publishes in its yearly notice: from the
``chinese_calendar`` package for the years it knows (2004–2026 in version 1.11), and from an
override file for later years or corrections (the bundled ``data/calendar_overrides.yaml`` and
files an administrator loads). A count that runs through a year without a schedule uses weekends
only and is marked provisional with the reason, never silently.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import chinese_calendar
import yaml

from huiqi.errors import UserError
from huiqi.law.citations import render

_ONE_DAY = timedelta(days=1)
_ISSUER = "国务院办公厅"
_WEEKDAYS = "一二三四五六日"
_BUNDLED = ("data", "calendar_overrides.yaml")
_MEANING = {
    "source": "依据的国务院办公厅通知：标题、文号、发布日期",
    "holidays": "放假日期",
    "title": "通知标题",
    "published": "发布日期",
    "name": "节日名称",
    "from": "开始日期",
    "date": "日期",
}


class CalendarError(UserError):
    """A working-day question the calendar cannot answer as asked."""


class UnscheduledYearError(CalendarError):
    """A day asked about in a year for which no official schedule is loaded."""


class ScheduleFileError(CalendarError):
    """An override file that cannot be read or breaks a rule; names the file and the entry."""

    def __init__(self, message: str, *, source: str | os.PathLike[str], entry: str | None = None):
        self.message = message
        self.source = str(source)
        self.entry = entry
        where = f"文件 {self.source}" + (f"，{entry}" if entry else "")
        super().__init__(f"{where}：{message}")


@dataclass(frozen=True)
class Provision:
    """A provision of a document in the regulation library (``huiqi.law``)."""

    document_id: str
    version: date
    node_id: str
    title: str

    @property
    def text(self) -> str:
        """《中华人民共和国民法典》第二百零一条第一款."""
        return render(self.title, self.node_id)


PERIOD_RULE = Provision(
    document_id="cn-civil-code-general-2020-05-28",
    version=date(2020, 5, 28),
    node_id="art_201/para_1",
    title="中华人民共和国民法典",
)
"""民法典 第二百零一条第一款: 开始的当日不计入，自下一日开始计算."""


@dataclass(frozen=True)
class HolidayNotice:
    """The 国务院办公厅 notice that fixes one year's holidays and make-up working days.

    ``number`` (文号) and ``published`` are None where they have not been verified."""

    year: int
    title: str
    number: str | None
    issuer: str
    published: date | None
    url: str | None = None

    @property
    def text(self) -> str:
        """《国务院办公厅关于2025年部分节假日安排的通知》（国办发明电〔2024〕12号）."""
        return f"《{self.title}》" + (f"（{self.number}）" if self.number else "")


def _notice(year: int, number: str | None = None, published: date | None = None) -> HolidayNotice:
    title = f"国务院办公厅关于{year}年部分节假日安排的通知"
    return HolidayNotice(year, title, number, _ISSUER, published)


DECLARED_NOTICES: Mapping[int, HolidayNotice] = MappingProxyType(
    {
        2024: _notice(2024, "国办发明电〔2023〕7号", date(2023, 10, 25)),
        2025: _notice(2025, "国办发明电〔2024〕12号", date(2024, 11, 12)),
        2026: _notice(2026, "国办发明电〔2025〕7号", date(2025, 11, 4)),
    }
)
"""The notices behind the years deadlines touch, with their verified 文号 and dates. Other
years of ``chinese_calendar`` are cited by title only."""


@dataclass(frozen=True)
class YearSchedule:
    """One year's official rest days and 调休 make-up working days, with the notice behind them."""

    notice: HolidayNotice
    holidays: frozenset[date]
    """放假 days, the weekend days inside a holiday included."""
    makeup_workdays: frozenset[date]
    """调休上班: weekend days that are working days."""
    origin: str
    """Where the dates were read: the package and its version, or a file."""

    @property
    def year(self) -> int:
        return self.notice.year

    def is_working_day(self, day: date) -> bool:
        return day in self.makeup_workdays or (day.weekday() < 5 and day not in self.holidays)


@dataclass(frozen=True)
class DayCount:
    """Working days counted from ``start`` (not itself counted, 民法典 第二百零一条) to ``end``.

    ``provisional`` is set when the count ran through a year with no official schedule; the
    ``reasons`` then say which year and that weekends alone were used."""

    start: date
    end: date
    working_days: int
    provisional: bool
    reasons: tuple[str, ...]
    notices: tuple[HolidayNotice, ...]
    rule: Provision = PERIOD_RULE

    @property
    def citations(self) -> tuple[str, ...]:
        """The counting rule, then the holiday notice of each year the count used."""
        return (self.rule.text, *(n.text for n in self.notices))


class WorkCalendar:
    """Official working days by year; a year's schedule given later replaces an earlier one."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._years: dict[int, YearSchedule] = {}
        for schedule in schedules:
            self._years[schedule.year] = schedule

    @classmethod
    def official(cls) -> WorkCalendar:
        """The years ``chinese_calendar`` knows, then the bundled override file."""
        return cls((*_package_schedules(), *_bundled_schedules()))

    @classmethod
    def from_files(cls, *paths: str | os.PathLike[str]) -> WorkCalendar:
        """The official calendar with administrator files loaded on top (one year per file)."""
        loaded: dict[int, YearSchedule] = {}
        for path in paths:
            for schedule in load_schedule(path):
                if schedule.year in loaded:
                    first = loaded[schedule.year].origin
                    raise ScheduleFileError(
                        f"{schedule.year}年的安排已在文件 {first} 中给出，同一年只能由一个文件提供",
                        source=path,
                        entry=f"{schedule.year}年",
                    )
                loaded[schedule.year] = schedule
        return cls.official().with_schedules(loaded.values())

    def with_schedules(self, schedules: Iterable[YearSchedule]) -> WorkCalendar:
        """A new calendar with these schedules added (replacing the same years)."""
        return WorkCalendar((*self._years.values(), *schedules))

    @property
    def years(self) -> tuple[int, ...]:
        """The years with an official schedule, in order."""
        return tuple(sorted(self._years))

    def schedule(self, year: int) -> YearSchedule | None:
        """The official schedule of ``year``, or None when none is loaded."""
        return self._years.get(year)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is an official working day; a year without a schedule is an error."""
        day = _as_date(day)
        schedule = self._years.get(day.year)
        if schedule is None:
            raise UnscheduledYearError(
                f"{day.year}年的节假日安排（国务院办公厅通知）尚未载入，"
                f"无法确定{day.isoformat()}是否为工作日"
            )
        return schedule.is_working_day(day)

    def add_working_days(self, start: date, n: int) -> DayCount:
        """The N-th working day after ``start``: 民法典 第二百零一条, 开始的当日不计入."""
        if n < 1:
            raise ValueError(f"working days must be at least 1, got {n}")
        start = day = _as_date(start)
        counted, years = 0, set[int]()
        while counted < n:
            day += _ONE_DAY
            years.add(day.year)
            if self._works(day):
                counted += 1
        return self._count(start, day, counted, years)

    def working_days_between(self, start: date, end: date) -> DayCount:
        """Working days after ``start`` up to and including ``end`` (民法典 第二百零一条)."""
        start, end = _as_date(start), _as_date(end)
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        days = [start + k * _ONE_DAY for k in range(1, (end - start).days + 1)]
        return self._count(start, end, sum(map(self._works, days)), {d.year for d in days})

    def _works(self, day: date) -> bool:
        schedule = self._years.get(day.year)
        return schedule.is_working_day(day) if schedule else day.weekday() < 5

    def _count(self, start: date, end: date, n: int, years: set[int]) -> DayCount:
        missing = sorted(y for y in years if y not in self._years)
        return DayCount(
            start=start,
            end=end,
            working_days=n,
            provisional=bool(missing),
            reasons=tuple(self._reason(y) for y in missing),
            notices=tuple(self._years[y].notice for y in sorted(years) if y in self._years),
        )

    def _reason(self, year: int) -> str:
        if self._years and year > max(self._years):
            return (
                f"{year}年的节假日安排尚未公布（国务院办公厅通知）或尚未载入，"
                "按周末推算，待公布并载入后重新计算"
            )
        return f"{year}年的节假日安排未收录（国务院办公厅通知），按周末推算，载入该年安排后重新计算"


def load_schedule(path: str | os.PathLike[str]) -> tuple[YearSchedule, ...]:
    """Read and check an override file (YAML or JSON): per year, the notice and its dates.

    The format is described in the bundled ``huiqi/rules/data/calendar_overrides.yaml``."""
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScheduleFileError("找不到该文件", source=source) from None
    except UnicodeDecodeError:
        raise ScheduleFileError("文件不是 UTF-8 编码的文本", source=source) from None
    except OSError as exc:
        raise ScheduleFileError(f"无法读取文件（{exc.strerror}）", source=source) from None
    return _parse_text(text, str(source))


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


@cache
def _package_schedules() -> tuple[YearSchedule, ...]:
    origin = f"chinese_calendar {chinese_calendar.__version__}"
    years = sorted({d.year for d in chinese_calendar.holidays})
    return tuple(
        YearSchedule(
            notice=DECLARED_NOTICES.get(year) or _notice(year),
            holidays=frozenset(d for d in chinese_calendar.holidays if d.year == year),
            makeup_workdays=frozenset(d for d in chinese_calendar.workdays if d.year == year),
            origin=origin,
        )
        for year in range(years[0], years[-1] + 1)
    )


@cache
def _bundled_schedules() -> tuple[YearSchedule, ...]:
    text = resources.files("huiqi.rules").joinpath(*_BUNDLED).read_text(encoding="utf-8")
    return _parse_text(text, "huiqi/rules/" + "/".join(_BUNDLED))


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text (checked per entry) and refuses repeated keys."""

    yaml_implicit_resolvers: ClassVar[dict[Any, list[tuple[str, Any]]]] = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable):
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"重复的键：{key}", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _parse_text(text: str, source: str) -> tuple[YearSchedule, ...]:
    try:
        raw = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        where = f"第{line}行" if line else None
        raise ScheduleFileError(
            f"不是有效的 YAML/JSON：{exc.problem}", source=source, entry=where
        ) from None
    except yaml.YAMLError as exc:
        raise ScheduleFileError(f"不是有效的 YAML/JSON：{exc}", source=source) from None
    if not isinstance(raw, dict) or set(raw) != {"years"}:
        raise ScheduleFileError("顶层应当只有 years 一项（按年份列出节假日安排）", source=source)
    years = raw["years"] or {}
    if not isinstance(years, dict):
        raise ScheduleFileError("years 应当以年份为键（如 2027:）", source=source)
    return tuple(_parse_year(key, body, source) for key, body in years.items())


def _parse_year(key: object, body: object, source: str) -> YearSchedule:
    year = int(key) if isinstance(key, str) and key.isdigit() else key
    if not isinstance(year, int) or isinstance(year, bool) or not MINYEAR <= year <= MAXYEAR:
        raise ScheduleFileError(f"“{key}”不是年份", source=source, entry="years")
    entry = f"{year}年"
    fields = _fields(
        body,
        {"source", "holidays", "makeup_workdays"},
        {"source", "holidays"},
        source=source,
        entry=entry,
    )
    notice = _parse_source(year, fields["source"], source)
    if not fields["holidays"]:
        raise ScheduleFileError("holidays 不能为空", source=source, entry=entry)

    holidays: set[date] = set()
    for where, spec in _items(
        fields, "holidays", {"name", "from", "to"}, {"name", "from"}, source=source, entry=entry
    ):
        first = _date_in(spec["from"], year, "from", source, where)
        last = _date_in(spec.get("to", spec["from"]), year, "to", source, where)
        if last < first:
            raise ScheduleFileError(f"结束日 {last} 早于开始日 {first}", source=source, entry=where)
        holidays.update(first + k * _ONE_DAY for k in range((last - first).days + 1))

    makeup: set[date] = set()
    for where, spec in _items(
        fields, "makeup_workdays", {"name", "date"}, {"name", "date"}, source=source, entry=entry
    ):
        day = _date_in(spec["date"], year, "date", source, where)
        if day in holidays:
            problem = f"{day} 既列为放假日又列为调休上班日"
        elif day.weekday() < 5:
            problem = f"{day} 是星期{_WEEKDAYS[day.weekday()]}，调休上班日应为周六或周日"
        elif day in makeup:
            problem = f"{day} 重复列出"
        else:
            makeup.add(day)
            continue
        raise ScheduleFileError(problem, source=source, entry=where)

    return YearSchedule(notice, frozenset(holidays), frozenset(makeup), origin=source)


def _parse_source(year: int, raw: object, source: str) -> HolidayNotice:
    entry = f"{year}年 source（国务院办公厅通知）"
    allowed = {"title", "number", "issuer", "published", "url"}
    spec = _fields(raw, allowed, {"title", "published"}, source=source, entry=entry)
    texts: dict[str, str | None] = {}
    for name in ("title", "number", "issuer", "url"):
        value = spec.get(name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ScheduleFileError(f"{name} 应当是非空的文字", source=source, entry=entry)
        texts[name] = value.strip() if value else None
    title = texts["title"]
    if title is None or str(year) not in title:
        raise ScheduleFileError(f"通知标题应当写明{year}年", source=source, entry=entry)
    published = _date(spec["published"], "published", source, entry)
    if published.year > year:
        raise ScheduleFileError(f"发布日期 {published} 晚于{year}年", source=source, entry=entry)
    return HolidayNotice(
        year=year,
        title=title,
        number=texts["number"],
        issuer=texts["issuer"] or _ISSUER,
        published=published,
        url=texts["url"],
    )


def _fields(
    raw: object, allowed: set[str], required: set[str], *, source: str, entry: str
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problem = f"应当是包含 {'、'.join(sorted(required))} 的映射"
    elif unknown := sorted(str(k) for k in raw if k not in allowed):
        problem = f"未知的项 {'、'.join(unknown)}（可用：{'、'.join(sorted(allowed))}）"
    elif missing := sorted(k for k in required if raw.get(k) is None):
        problem = "缺少 " + "、".join(f"{k}（{_MEANING[k]}）" for k in missing)
    else:
        return raw
    raise ScheduleFileError(problem, source=source, entry=entry)


def _items(
    fields: dict[str, Any],
    key: str,
    allowed: set[str],
    required: set[str],
    *,
    source: str,
    entry: str,
) -> Iterable[tuple[str, dict[str, Any]]]:
    """Each entry of a list (holidays, makeup_workdays) with the label that names it."""
    items = fields.get(key) or []
    if not isinstance(items, list):
        raise ScheduleFileError(f"{key} 应当是列表", source=source, entry=entry)
    for index, item in enumerate(items, 1):
        name = item.get("name") if isinstance(item, dict) else None
        where = f"{entry} {key} 第{index}项" + (f"（{name}）" if isinstance(name, str) else "")
        yield where, _fields(item, allowed, required, source=source, entry=where)


def _date(value: object, name: str, source: str, entry: str) -> date:
    try:
        if isinstance(value, str):
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise ScheduleFileError(
        f"{name} 应当是日期（如 2027-01-01），而不是“{value}”", source=source, entry=entry
    )


def _date_in(value: object, year: int, name: str, source: str, entry: str) -> date:
    day = _date(value, name, source, entry)
    if day.year != year:
        raise ScheduleFileError(f"日期 {day} 不在{year}年内", source=source, entry=entry)
    return day
