"""Deadlines the regulations set for departments, each with its citation.

A period counts from the day after the starting day (《中华人民共和国民法典》第二百零一条第一款:
开始的当日不计入). A period in working days ends on the N-th official working day after it
(:mod:`huiqi.rules.calendar`); a period in days whose last day is not a working day ends on the
next working day (第二百零三条第一款). A count that runs into a year without an official
schedule is provisional, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from .calendar import WorkCalendar
from .citations import Citation, cite, cite_notice, cite_provision
from .errors import NoStatutoryPeriod
from .jurisdictions import NATIONAL
from .packs import Period, Resolved, RuleSet, Unit, rules

_CIVIL_CODE = "cn-civil-code-general-2020-05-28"
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Count:
    """The end of a period counted from ``start``, with the counting rules and the holiday
    notices it relied on."""

    start: date
    period: Period
    due: date
    provisional: bool
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Deadline:
    """A due date, what it is based on, and whether it may still change (``provisional``)."""

    kind: str
    label: str
    start: date
    due: date
    period: Period
    statutory: bool
    """False when the period is a department's service commitment, not a number of the law."""
    provisional: bool
    reasons: tuple[str, ...]
    notes: tuple[str, ...]
    findings: tuple[str, ...]
    """Problems the facts show (a contract term beyond the legal maximum…)."""
    citations: tuple[Citation, ...]
    """The rule the period comes from first, then the counting rules and holiday notices."""
    draft: bool = False

    @property
    def citation(self) -> Citation:
        return self.citations[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "period": {
                "count": self.period.count,
                "unit": self.period.unit.value,
                "text": self.period.text,
            },
            "statutory": self.statutory,
            "provisional": self.provisional,
            "reasons": list(self.reasons),
            "notes": list(self.notes),
            "findings": list(self.findings),
            "citation": self.citation.text,
            "citations": [c.to_dict() for c in self.citations],
            "draft": self.draft,
        }


def count_period(start: date, period: Period, calendar: WorkCalendar | None = None) -> Count:
    """民法典 第二百零一条第一款 (the starting day is not counted) and 第二百零三条第一款 (a last
    day that is a 法定休假日 moves to the next working day)."""
    calendar = calendar or official_calendar()
    if period.unit is Unit.WORKING_DAY:
        counted = calendar.add_working_days(start, period.count)
        return Count(
            start=start,
            period=period,
            due=counted.end,
            provisional=counted.provisional,
            reasons=counted.reasons,
            notes=(),
            citations=(
                cite_provision(counted.rule),
                *(cite_notice(n) for n in counted.notices),
            ),
        )
    last = start + timedelta(days=period.count)
    rolled = calendar.add_working_days(last - timedelta(days=1), 1)
    rules_used = [cite_provision(rolled.rule)]
    notes = []
    if rolled.end != last:
        rules_used.append(cite(_CIVIL_CODE, "art_203/para_1"))
        kind = "休息日" if last.weekday() >= 5 else "法定节假日"
        notes.append(
            f"期间最后一日 {last.isoformat()}（星期{_WEEKDAYS[last.weekday()]}，{kind}）"
            f"不是工作日，顺延至 {rolled.end.isoformat()}"
        )
    return Count(
        start=start,
        period=period,
        due=rolled.end,
        provisional=rolled.provisional,
        reasons=rolled.reasons,
        notes=tuple(notes),
        citations=(*rules_used, *(cite_notice(n) for n in rolled.notices)),
    )


@cache
def official_calendar() -> WorkCalendar:
    """The official working-day calendar (package schedules and the bundled override file)."""
    return WorkCalendar.official()


def reply_deadline(
    received: date,
    jurisdiction: str,
    *,
    rule_set: RuleSet | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Reply deadline for a complaint or report (投诉、举报).

    长春 条例 第四十三条: 收到投诉、举报之日起二十个工作日内调查处理，并书面答复. Where the
    law in force says only "在规定的时间内" (中小企业促进法 第五十一条第二款; 湖南 办法
    第三十二条第二款; 深圳 征求意见稿 第七十七条第三款), the result says so and counts the
    department's service commitment (承诺时限), cited as that commitment and never as law."""
    rule_set = rule_set or rules()
    law = rule_set.lookup("complaint.reply_period", jurisdiction, received)
    if law.value is not None:
        counted = count_period(received, law.value, calendar)
        return build_deadline(
            "complaint_reply", law, counted, notes=(law.note, *counted.notes), statutory=True
        )
    commitment = rule_set.lookup("complaint.service_commitment", jurisdiction, received)
    counted = count_period(received, commitment.value, calendar)
    no_number = (
        f"法律法规未规定答复天数：{law.citation.text}{_note(law, prefix='')}；"
        f"按部门服务承诺的{commitment.value.text}计算，该期限是承诺，不是法定期限"
    )
    return Deadline(
        kind="complaint_reply",
        label=law.label,
        start=received,
        due=counted.due,
        period=commitment.value,
        statutory=False,
        provisional=counted.provisional,
        reasons=counted.reasons,
        notes=tuple(n for n in (no_number, commitment.note, *counted.notes) if n),
        findings=(),
        citations=(commitment.citation, law.citation, *counted.citations),
        draft=law.draft or commitment.draft,
    )


def arrears_transfer_deadline(
    accepted: date,
    *,
    jurisdiction: str = NATIONAL,
    rule_set: RuleSet | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Transfer of an arrears complaint to the handling department.

    保障中小企业款项支付条例（2025）第二十五条第一款: 自正式受理之日起10个工作日内 转交."""
    found = _statutory("arrears.transfer_period", jurisdiction, accepted, rule_set)
    counted = count_period(accepted, found.value, calendar)
    return build_deadline("arrears_transfer", found, counted, notes=counted.notes, statutory=True)


def arrears_result_deadline(
    received: date,
    *,
    extended: bool = False,
    jurisdiction: str = NATIONAL,
    rule_set: RuleSet | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Result of an arrears complaint, from the day the handling department receives it.

    保障中小企业款项支付条例（2025）第二十五条第二款: 自收到投诉材料之日起30日内形成处理结果;
    情况复杂的，经部门负责人批准可适当延长，但处理期限最长不得超过90日 (``extended``)."""
    name = "arrears.result_period_max" if extended else "arrears.result_period"
    found = _statutory(name, jurisdiction, received, rule_set)
    counted = count_period(received, found.value, calendar)
    notes = ("已经部门负责人批准延长；这是最长的处理期限",) if extended else ()
    return build_deadline(
        "arrears_result", found, counted, notes=(*notes, *counted.notes), statutory=True
    )


def _statutory(name: str, jurisdiction: str, on: date, rule_set: RuleSet | None) -> Resolved:
    found = (rule_set or rules()).lookup(name, jurisdiction, on)
    if found.value is None:
        raise NoStatutoryPeriod(
            f"{on.isoformat()} 适用的{found.citation.text}没有规定“{found.label}”的天数"
            f"{_note(found)}，无法计算到期日"
        )
    return found


def _note(found: Resolved, prefix: str = "：") -> str:
    return f"{prefix}{found.note}" if found.note else ""


def build_deadline(
    kind: str,
    found: Resolved,
    counted: Count,
    *,
    notes: tuple[str | None, ...],
    statutory: bool,
    findings: tuple[str, ...] = (),
    extra: tuple[Citation, ...] = (),
) -> Deadline:
    """A deadline from the parameter it counts and the count: the parameter's citation first,
    then ``extra`` (e.g. the rule for the starting day), then the counting rules."""
    return Deadline(
        kind=kind,
        label=found.label,
        start=counted.start,
        due=counted.due,
        period=counted.period,
        statutory=statutory,
        provisional=counted.provisional,
        reasons=counted.reasons,
        notes=tuple(n for n in notes if n),
        findings=findings,
        citations=tuple(dict.fromkeys((found.citation, *extra, *counted.citations))),
        draft=found.draft,
    )
