"""One enterprise of the registry as the rules see it: its catalogue facts on a date
(:func:`facts_of`) and its size class (:func:`size_of`).

Which data count on a date ``on``:

- registration facts (``ENTERPRISE_FACTS``: name, industry, district, founded, dishonest,
  founder flags, listed_on, first_bond_on) as the registry holds them now;
- yearly facts (``year``, ``YEARLY_FACTS``) from the :class:`YearlyFacts` row with the
  greatest ``year`` not after the year of ``on`` (``year <= on.year``); none when every row
  is later;
- for each qualification kind, the :class:`Qualification` period with the greatest
  ``valid_from`` not after ``on`` (``valid_from <= on``), whether or not it has expired —
  the criteria decide validity (``持有`` tests ``<key>_from <= day <= <key>_to``); a period
  starting after ``on`` is ignored. It gives ``<key>_from``, ``<key>_to`` and
  ``<key>_first`` (首次认定日期, may be unknown).

The size filter of the enterprise list (:func:`huiqi.enterprises.forms.sized`) takes the
same year in SQL. The population view of :mod:`huiqi.screening.population` makes the same
choice for the registry as it stands (the latest year and the latest period, with no date):
both agree whenever no row lies after ``on``.

Unknown facts (NULL) are left out, as :func:`huiqi.rules.policies.checked_facts` treats a
missing key. Amounts come back as :class:`~decimal.Decimal` (万元) from the stored double
precision, through its shortest decimal text, so 1234.5 stays 1234.5.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from huiqi.rules.facts import catalogue
from huiqi.rules.size import SizeFacts, SizeResult, classify_size

from .models import ENTERPRISE_FACTS, YEARLY_FACTS, Enterprise, Qualification, YearlyFacts


def facts_of(enterprise: Enterprise, on: date) -> dict[str, Any]:
    """The enterprise's catalogue facts on ``on``, keyed by catalogue name, unknown ones
    left out (see the module docstring for the year and the qualification periods taken).
    Uses prefetched ``yearly_facts`` and ``qualifications`` when the queryset has them."""
    facts: dict[str, Any] = {"uscc": enterprise.uscc}
    for name in ENTERPRISE_FACTS:
        facts[name] = getattr(enterprise, name)
    year = year_on(enterprise, on)
    if year is not None:
        facts["year"] = year.year
        for name in YEARLY_FACTS:
            facts[name] = _amount(getattr(year, name))
    for kind, period in periods_on(enterprise, on).items():
        start, end, first = catalogue().qualifications[kind].columns
        facts[start] = period.valid_from
        facts[end] = period.valid_to
        facts[first] = period.first_recognised
    return {name: value for name, value in facts.items() if value is not None}


def year_on(enterprise: Enterprise, on: date) -> YearlyFacts | None:
    """The yearly facts with the greatest year not after ``on.year``."""
    rows = [y for y in enterprise.yearly_facts.all() if y.year <= on.year]
    return max(rows, key=lambda y: y.year, default=None)


def periods_on(enterprise: Enterprise, on: date) -> dict[str, Qualification]:
    """Per qualification kind held, the period with the greatest start not after ``on``."""
    out: dict[str, Qualification] = {}
    for period in enterprise.qualifications.all():
        if period.valid_from > on:
            continue
        current = out.get(period.kind)
        if current is None or period.valid_from > current.valid_from:
            out[period.kind] = period
    return out


def size_of(enterprise: Enterprise, on: date) -> SizeResult:
    """划型 of the enterprise on ``on`` from its facts (:func:`facts_of`):
    《中小企业划型标准规定》（工信部联企业〔2011〕300号）第四条. Raises the rules' errors for
    an industry the standard leaves out or a code too coarse to place."""
    return classify_size(size_facts(facts_of(enterprise, on)), on)


def size_facts(facts: dict[str, Any]) -> SizeFacts:
    """The indicators of the size standard among catalogue facts."""
    return SizeFacts(
        industry=facts["industry"],
        employees=facts.get("employees"),
        revenue=facts.get("revenue"),
        total_assets=facts.get("total_assets"),
    )


def jsonable(facts: dict[str, Any]) -> dict[str, Any]:
    """The facts in JSON form: amounts as decimal text (万元), dates ISO."""
    out: dict[str, Any] = {}
    for name, value in facts.items():
        if isinstance(value, Decimal):
            value = format(value, "f")
        elif isinstance(value, date):
            value = value.isoformat()
        out[name] = value
    return out


def _amount(value: Any) -> Any:
    return Decimal(repr(value)) if isinstance(value, float) else value
