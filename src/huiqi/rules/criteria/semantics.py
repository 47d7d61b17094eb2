"""What each condition means, in the pieces that Python evaluation and the SQL compiler share,
so both give the same answer by construction.

Three-valued logic is Kleene's: None is unknown; ``False and None`` is False, ``True or None``
is True, ``not None`` is None — the NULL logic of SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from huiqi.rules.industries import ancestors, industries
from huiqi.rules.size import TIERS, Group, SizeClass

AMOUNT_PLACES = 4
"""Amounts (万元) are exact to 4 decimal places (1元); the R&D ratio's two sides are rounded
to this many places in SQL, so engines that store amounts as binary floats (SQLite REAL,
DuckDB DOUBLE) agree with Python's exact decimals at the boundary."""


def k_and(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def k_or(values: Iterable[bool | None]) -> bool | None:
    result: bool | None = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def k_not(value: bool | None) -> bool | None:
    return None if value is None else not value


def k_at_least(n: int, values: Iterable[bool | None]) -> bool | None:
    """True when at least ``n`` are true, False when too few can be, else unknown."""
    values = tuple(values)
    true = sum(v is True for v in values)
    unknown = sum(v is None for v in values)
    if true >= n:
        return True
    if true + unknown < n:
        return False
    return None


# years since founding ---------------------------------------------------------------------


def completed_years(founded: date, on: date) -> int:
    """Whole years since founding on ``on``. 民法典 第二百零一条: the founding day is not
    counted; 第二百零二条: a period of N years ends on the corresponding day N years on (the
    month's last day when there is none: 29 February → 28 February), at 24:00 (第二百零三条
    第二款). So an enterprise founded on 2022-01-01 completes three years at the end of
    2025-01-01: 2 on that day, 3 from 2025-01-02. Negative when founded after ``on``."""
    return on.year - founded.year - ((on.month, on.day) <= (founded.month, founded.day))


def founded_before(on: date, years: int) -> date | None:
    """The date ``B`` with ``completed_years(founded, on) ≥ years`` ⟺ ``founded < B``: the
    tuple ``(on.year − years, on.month, on.day)``, or 1 March when that is a 29 February that
    does not exist. None when no founding date qualifies."""
    year = on.year - years
    if year < 1:
        return None
    try:
        return date(year, on.month, on.day)
    except ValueError:
        return date(year, 3, 1)


# R&D ratio --------------------------------------------------------------------------------


def ratio_factors(percent: Decimal) -> tuple[int, int]:
    """Integers ``(a, b)`` with ``研发费用 × a ⋚ 营业收入 × b`` ⟺ ``研发费用 ÷ 营业收入 × 100 ⋚
    percent`` for a positive revenue: comparing without dividing keeps it exact."""
    places = max(0, -percent.as_tuple().exponent)  # type: ignore[operator]
    scale = 10**places
    return 100 * scale, int(percent * scale)


# industry and district --------------------------------------------------------------------


@dataclass(frozen=True)
class IndustryTest:
    """How one criteria code matches an enterprise's code: ``code`` itself or below it
    (a section letter covers its divisions' codes); an enterprise code above it (coarser,
    e.g. C for 39) cannot tell, so is unknown."""

    code: str
    divisions: frozenset[str]
    """For a section letter, its two-digit divisions; empty for a numeric code."""
    coarser: frozenset[str]
    """The codes above ``code``."""

    def match(self, value: str) -> bool | None:
        if value == self.code:
            return True
        if self.divisions:
            if value[:2] in self.divisions:
                return True
        elif value.startswith(self.code):
            return True
        return None if value in self.coarser else False


@cache
def industry_test(code: str) -> IndustryTest:
    divisions = frozenset(
        item.code
        for item in industries().values()
        if item.level == "division" and item.parent == code
    )
    coarser = frozenset(a.code for a in ancestors(code)[1:])
    return IndustryTest(code, divisions, coarser)


def district_prefix(code: str) -> str:
    """220100 → 2201 (长春市 and its districts), 220000 → 22, 220102 → 220102."""
    while code.endswith("00"):
        code = code[:-2]
    return code


# size class -------------------------------------------------------------------------------

TIER_OF_RANK = {tier.rank: tier for tier in TIERS}
"""Rank 1 small, 2 medium, 3 large: the tiers whose lower bounds can be met."""


def size_runs(sizes: Iterable[SizeClass]) -> tuple[tuple[int, int], ...]:
    """The ranks of ``sizes`` as maximal runs ``(lowest, highest)``: small+micro is (0, 1)."""
    ranks = sorted({s.rank for s in sizes})
    runs: list[tuple[int, int]] = []
    for rank in ranks:
        if runs and runs[-1][1] == rank - 1:
            runs[-1] = (runs[-1][0], rank)
        else:
            runs.append((rank, rank))
    return tuple(runs)


def met(group: Group, tier: SizeClass, values: dict[str, Decimal | int | None]) -> bool | None:
    """Whether every lower bound of ``tier`` in the group's row is met (unknown when an
    indicator is missing and none is short)."""
    return k_and(
        None if values[i.value] is None else values[i.value] >= bound  # type: ignore[operator]
        for i, bound in group.bounds[tier].items()
    )


def size_in(sizes: Iterable[SizeClass], meets: dict[SizeClass, bool | None]) -> bool | None:
    """The size is one of ``sizes``, from which tiers' lower bounds are met. A run of sizes
    from rank ``lo`` to ``hi`` holds when the bounds of ``lo`` are met and those of the size
    above ``hi`` are not; the sizes hold when one of their runs does. The tiers are nested
    (meeting large's bounds meets medium's), so this is exact, not only Kleene-safe."""
    return k_or(
        k_and(
            (
                *((meets[TIER_OF_RANK[lo]],) if lo > 0 else ()),
                *((k_not(meets[TIER_OF_RANK[hi + 1]]),) if hi < 3 else ()),
            )
        )
        for lo, hi in size_runs(sizes)
    )
