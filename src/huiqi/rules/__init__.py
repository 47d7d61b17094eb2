"""huiqi.rules — the regulations' rules as code, each result citing its article. Pure Python.

Size classes (划型), official working days, deadlines, payment terms and procurement, over
dated parameters from jurisdiction packs (``packs/*.yaml``)."""

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
from .citations import Citation, CitationKind, Instrument, cite, instruments
from .deadlines import Deadline, arrears_result_deadline, arrears_transfer_deadline, reply_deadline
from .declaration import declaration_letter
from .errors import RulesError
from .jurisdictions import Jurisdiction, jurisdiction, lineage
from .packs import RuleSet, rules
from .payments import Contract, confirmation_deadline, late_interest, payment_deadline
from .procurement import check_reserved_share, deduction_ranges, evaluate_bids
from .size import SizeClass, SizeFacts, SizeResult, classify_size

__all__ = [
    "DECLARED_NOTICES",
    "PERIOD_RULE",
    "CalendarError",
    "Citation",
    "CitationKind",
    "Contract",
    "DayCount",
    "Deadline",
    "HolidayNotice",
    "Instrument",
    "Jurisdiction",
    "Provision",
    "RuleSet",
    "RulesError",
    "ScheduleFileError",
    "SizeClass",
    "SizeFacts",
    "SizeResult",
    "UnscheduledYearError",
    "WorkCalendar",
    "YearSchedule",
    "arrears_result_deadline",
    "arrears_transfer_deadline",
    "check_reserved_share",
    "cite",
    "classify_size",
    "confirmation_deadline",
    "declaration_letter",
    "deduction_ranges",
    "evaluate_bids",
    "instruments",
    "jurisdiction",
    "late_interest",
    "lineage",
    "load_schedule",
    "payment_deadline",
    "reply_deadline",
    "rules",
]
