"""huiqi.rules — the regulations' rules as code, each result citing its article. Pure Python."""

from .calendar import (
    DECLARED_NOTICES,
    PERIOD_RULE,
    CalendarError,
    DayCount,
    HolidayNotice,
    Provision,
    ScheduleFileError,
    UnscheduledYearError,
    WorkCalendar,
    YearSchedule,
    load_schedule,
)

__all__ = [
    "DECLARED_NOTICES",
    "PERIOD_RULE",
    "CalendarError",
    "DayCount",
    "HolidayNotice",
    "Provision",
    "ScheduleFileError",
    "UnscheduledYearError",
    "WorkCalendar",
    "YearSchedule",
    "load_schedule",
]
