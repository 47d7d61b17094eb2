"""Evaluation of criteria for one enterprise, with the explanation of every condition.

A criteria tree is compiled once (and cached) into one small function per condition and a
combining function over their values, so evaluating 300 policies for one enterprise does
little more than the comparisons themselves. Facts are read lazily and normalised once per
evaluation; the size class is computed once per (industry, indicators, date).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from huiqi.rules.errors import InvalidFacts, RulesError
from huiqi.rules.facts import Fact, FactType, catalogue
from huiqi.rules.industries import industries
from huiqi.rules.size import (
    TIERS,
    SizeClass,
    SizeFacts,
    SizeStandard,
    classify_size,
    standard_on,
)

from .nodes import (
    And,
    AtLeast,
    Compare,
    Condition,
    Criteria,
    Dishonest,
    DistrictIn,
    FirstTime,
    Founder,
    Holds,
    IndustryIn,
    Not,
    Or,
    SizeIn,
    inputs,
    leaves,
)
from .outcome import LeafResult, Outcome, decode
from .semantics import (
    completed_years,
    district_prefix,
    industry_test,
    k_and,
    k_at_least,
    k_not,
    k_or,
    met,
    size_in,
)

_Result = tuple[bool | None, dict[str, Any], tuple[str, ...], str | None]
"""value, facts used, facts missing, note."""
_Leaf = Callable[["_Facts", date], _Result]
_Combine = Callable[[list[bool | None]], bool | None]


def evaluate(criteria: Criteria, facts: Mapping[str, Any], on: date) -> Outcome:
    """Evaluate ``criteria`` for one enterprise on the screening date ``on``.

    ``facts`` maps stored facts (catalogue names) to values — numbers, ``date`` or ISO text,
    booleans, codes; a fact absent or None is unknown, except the facts of complete
    government lists (qualifications, listings, bond issues), where None means none. Derived
    facts (size class, years since founding, R&D ratio) are always computed here. A value that
    cannot be right raises :class:`~huiqi.rules.errors.InvalidFacts`."""
    if not isinstance(on, date) or isinstance(on, datetime):
        raise InvalidFacts(f"评估日期应当是日期，而不是“{on}”")
    compiled = _compiled(criteria)
    view = _Facts(facts)
    results = [leaf(view, on) for leaf in compiled.leaves]
    value = compiled.combine([r[0] for r in results])
    return Outcome(
        criteria=criteria,
        on=on,
        value=value,
        leaves=tuple(
            LeafResult(i, condition, r[0], r[1], r[2] if r[0] is None else (), r[3])
            for i, (condition, r) in enumerate(zip(compiled.conditions, results, strict=True))
        ),
    )


def explain(criteria: Criteria, code: int) -> Outcome:
    """The outcome stored as a compact code, rebuilt without the facts: each condition's
    result, the facts an unknown condition reads, and the overall value."""
    compiled = _compiled(criteria)
    values = list(decode(criteria, code))
    return Outcome(
        criteria=criteria,
        on=None,
        value=compiled.combine(values),
        leaves=tuple(
            LeafResult(i, c, v, missing=inputs(c) if v is None else ())
            for i, (c, v) in enumerate(zip(compiled.conditions, values, strict=True))
        ),
    )


# compiling --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    conditions: tuple[Condition, ...]
    leaves: tuple[_Leaf, ...]
    combine: _Combine


_BY_IDENTITY: dict[int, tuple[Criteria, _Compiled]] = {}


def _compiled(criteria: Criteria) -> _Compiled:
    """The compiled tree, found by identity first (hashing a tree walks all of it), then by
    equality; the identity cache holds the tree, so its id is not reused while cached."""
    found = _BY_IDENTITY.get(id(criteria))
    if found is not None and found[0] is criteria:
        return found[1]
    compiled = _compiled_equal(criteria)
    if len(_BY_IDENTITY) >= 4096:
        _BY_IDENTITY.clear()
    _BY_IDENTITY[id(criteria)] = (criteria, compiled)
    return compiled


@lru_cache(maxsize=4096)
def _compiled_equal(criteria: Criteria) -> _Compiled:
    conditions = leaves(criteria)
    combine, used = _combiner(criteria, 0)
    assert used == len(conditions)
    return _Compiled(conditions, tuple(_leaf(c) for c in conditions), combine)


def _combiner(node: Criteria, start: int) -> tuple[_Combine, int]:
    """The function of the leaf values that gives ``node``'s value, and the next index."""
    if isinstance(node, Not):
        inner, end = _combiner(node.item, start)
        return (lambda values: k_not(inner(values))), end
    if isinstance(node, And | Or | AtLeast):
        parts = []
        index = start
        for item in node.items:
            part, index = _combiner(item, index)
            parts.append(part)
        if isinstance(node, And):
            return (lambda values: k_and(p(values) for p in parts)), index
        if isinstance(node, Or):
            return (lambda values: k_or(p(values) for p in parts)), index
        n = node.n
        return (lambda values: k_at_least(n, (p(values) for p in parts))), index
    return (lambda values: values[start]), start + 1


def _leaf(condition: Condition) -> _Leaf:
    if isinstance(condition, Compare):
        if condition.fact == "years_since_founding":
            return _years(condition)
        if condition.fact == "rd_ratio":
            return _ratio(condition)
        return _compare(condition)
    if isinstance(condition, SizeIn):
        return _size(condition)
    if isinstance(condition, IndustryIn):
        return _industry(condition)
    if isinstance(condition, DistrictIn):
        return _district(condition)
    if isinstance(condition, Holds):
        return _holds(condition)
    if isinstance(condition, FirstTime):
        return _first(condition)
    if isinstance(condition, Founder):
        return _founder(condition)
    assert isinstance(condition, Dishonest)
    return _dishonest()


def _compare(node: Compare) -> _Leaf:
    name, holds, value = node.fact, node.op.holds, node.value
    complete = catalogue().facts[name].complete

    def leaf(facts: _Facts, on: date) -> _Result:
        v = facts.get(name)
        if v is None:
            return (False if complete else None), {name: None}, (name,), None
        return holds(v, value), {name: v}, (), None

    return leaf


def _years(node: Compare) -> _Leaf:
    """成立年限: whole years completed on the screening date (see :func:`completed_years`)."""
    holds, value = node.op.holds, node.value

    def leaf(facts: _Facts, on: date) -> _Result:
        founded = facts.get("founded")
        if founded is None:
            return None, {"founded": None}, ("founded",), None
        years = completed_years(founded, on)
        return holds(years, value), {"founded": founded, "years_since_founding": years}, (), None

    return leaf


def _ratio(node: Compare) -> _Leaf:
    """研发费用占营业收入比例 (%): compared without dividing, R&D × 100 against the percentage
    × revenue; without a positive revenue the ratio does not exist and the condition fails."""
    holds, value = node.op.holds, node.value

    def leaf(facts: _Facts, on: date) -> _Result:
        revenue = facts.get("revenue")
        rd = facts.get("rd_expense")
        used: dict[str, Any] = {"rd_expense": rd, "revenue": revenue}
        if revenue is None:
            return None, used, ("revenue",) if rd is not None else ("rd_expense", "revenue"), None
        if revenue <= 0:
            return False, used, (), "营业收入为 0，研发费用占营业收入比例无法计算，不满足"
        if rd is None:
            return None, used, ("rd_expense",), None
        used["rd_ratio"] = (rd * 100 / revenue).quantize(Decimal("0.01"))
        return holds(rd * 100, value * revenue), used, (), None

    return leaf


def _size(node: SizeIn) -> _Leaf:
    sizes, fixed = node.sizes, node.on

    def leaf(facts: _Facts, on: date) -> _Result:
        code = facts.get("industry")
        if code is None:
            return None, {"industry": None}, ("industry",), None
        values = {i: facts.get(i) for i in ("employees", "revenue", "total_assets")}
        view = _size_view(fixed or on, code, *values.values())
        used = {"industry": code, **values}
        if view.meets is None:
            return view.refused, used, ("industry",), view.note
        used["size_class"] = view.size
        return size_in(sizes, view.meets), used, view.missing, view.note

    return leaf


@dataclass(frozen=True)
class _SizeView:
    """What the size rules say of one enterprise: which tiers' lower bounds are met (None
    when the industry cannot be placed), the size when it is decided, the indicators missing,
    and the note for the reason."""

    meets: dict[SizeClass, bool | None] | None
    size: SizeClass | None
    missing: tuple[str, ...]
    note: str
    refused: bool | None = None


@lru_cache(maxsize=4096)
def _size_view(
    on: date, code: str, employees: int | None, revenue: Decimal | None, assets: Decimal | None
) -> _SizeView:
    """《中小企业划型标准规定》第四条 via :mod:`huiqi.rules.size`. An industry the standard
    leaves out (金融业, 铁路运输业 …) has no size under it: every size condition fails. An
    industry code too coarse to place, or not in GB/T 4754-2017, leaves the size unknown."""
    standard = standard_on(on)
    placement = standard.placements.get(code)
    if placement is None or placement.group is None:
        refused = None if placement is None else False
        return _SizeView(None, None, (), _unplaced(standard, code), refused)
    group = placement.group
    values = {"employees": employees, "revenue": revenue, "total_assets": assets}
    meets = {tier: met(group, tier, values) for tier in TIERS}
    possible = [s for s in (*TIERS, SizeClass.MICRO) if size_in((s,), meets) is not False]
    missing = tuple(i.value for i in group.indicators if values[i.value] is None)
    if len(possible) == 1:
        result = classify_size(SizeFacts(code, employees, revenue, assets), on)
        assert result.size is possible[0]
        note = f"{result.size.label}：{'；'.join(result.steps)}"
        return _SizeView(meets, result.size, (), note)
    labels = "或".join(s.label for s in possible)
    return _SizeView(meets, None, missing, f"{group.name}，可能为{labels}")


def _unplaced(standard: SizeStandard, code: str) -> str:
    """Why the standard places no row for ``code``: the size rules' own message (too coarse,
    left out of the standard, not a code of GB/T 4754-2017)."""
    try:
        standard.place(code)
    except RulesError as exc:
        return str(exc)
    raise AssertionError(f"{code} has a row of the size standard")


def _industry(node: IndustryIn) -> _Leaf:
    tests = tuple(industry_test(code) for code in node.codes)

    def leaf(facts: _Facts, on: date) -> _Result:
        code = facts.get("industry")
        if code is None:
            return None, {"industry": None}, ("industry",), None
        value = k_or(t.match(code) for t in tests)
        note = None
        if value is None:
            note = f"行业代码“{code}”不够细，无法判断是否属于 {'、'.join(node.codes)}"
        elif code in industries():
            note = f"所属行业 {industries()[code].label}"
        return value, {"industry": code}, ("industry",), note

    return leaf


def _district(node: DistrictIn) -> _Leaf:
    prefixes = tuple(district_prefix(code) for code in node.codes)

    def leaf(facts: _Facts, on: date) -> _Result:
        code = facts.get("district")
        if code is None:
            return None, {"district": None}, ("district",), None
        return any(code.startswith(p) for p in prefixes), {"district": code}, (), None

    return leaf


def _holds(node: Holds) -> _Leaf:
    """Held on the date: listed with a validity period that covers it (no end date: open)."""
    start, end = catalogue().qualifications[node.qualification].columns[:2]
    label = catalogue().qualifications[node.qualification].label
    fixed, absent = node.on, f"未列入{label}名单"

    def leaf(facts: _Facts, on: date) -> _Result:
        day = fixed or on
        begin, until = facts.get(start), facts.get(end)
        used = {start: begin, end: until}
        if begin is None:
            return False, used, (), absent
        value = begin <= day and (until is None or until >= day)
        period = f"{label}有效期 {begin.isoformat()} 至 {until.isoformat() if until else '长期'}"
        where = "在" if value else "不在"
        return value, used, (), f"{period}，{day.isoformat()} {where}有效期内"

    return leaf


def _first(node: FirstTime) -> _Leaf:
    name, begin, end = node.fact, node.start, node.end
    complete = catalogue().facts[name].complete

    def leaf(facts: _Facts, on: date) -> _Result:
        v = facts.get(name)
        if v is None:
            return (False if complete else None), {name: None}, (name,), None
        return begin <= v <= end, {name: v}, (), None

    return leaf


def _founder(node: Founder) -> _Leaf:
    names = tuple(c.fact for c in node.categories)

    def leaf(facts: _Facts, on: date) -> _Result:
        values = {name: facts.get(name) for name in names}
        missing = tuple(name for name, v in values.items() if v is None)
        return k_or(values.values()), values, missing, None

    return leaf


def _dishonest() -> _Leaf:
    def leaf(facts: _Facts, on: date) -> _Result:
        v = facts.get("dishonest")
        return v, {"dishonest": v}, ("dishonest",), None

    return leaf


# facts ------------------------------------------------------------------------------------


class _Facts:
    """The enterprise's facts, each normalised on first use."""

    __slots__ = ("_cache", "_raw")

    def __init__(self, raw: Mapping[str, Any]):
        self._raw = raw
        self._cache: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        try:
            return self._cache[name]
        except KeyError:
            value = self._raw.get(name)
            if value is not None:
                item = catalogue().facts[name]
                if not _ready(item.type, value):
                    value = _normalised(item, value)
            self._cache[name] = value
            return value


_PLAIN = {
    FactType.DECIMAL: Decimal,
    FactType.INTEGER: int,
    FactType.DATE: date,
    FactType.BOOLEAN: bool,
    FactType.TEXT: str,
    FactType.INDUSTRY: str,
    FactType.DIVISION: str,
    FactType.SIZE: str,
}
"""The Python type of each fact type: values already of it need no conversion."""


def _ready(kind: FactType, value: Any) -> bool:
    """The value is already normalised (the matcher passes checked facts)."""
    if type(value) is not _PLAIN[kind]:
        return False
    if kind is FactType.DECIMAL:
        return value.is_finite() and value >= 0
    return kind is not FactType.INTEGER or value >= 0


def _normalised(item: Fact, value: Any) -> Any:
    kind = item.type
    if kind in (FactType.DECIMAL, FactType.INTEGER):
        number = _number(item, value)
        if number < 0:
            raise InvalidFacts(f"{item.label}不能为负数：{value}")
        if kind is FactType.INTEGER:
            if number != number.to_integral_value():
                raise InvalidFacts(f"{item.label}应当是整数，而不是“{value}”")
            return int(number)
        return number
    if kind is FactType.DATE:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise InvalidFacts(f"{item.label}应当是日期（YYYY-MM-DD），而不是“{value}”") from None
    if kind is FactType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if value in (0, 1):
            return bool(value)
        raise InvalidFacts(f"{item.label}应当是“是”或“否”（true/false），而不是“{value}”")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidFacts(f"{item.label}应当是文本，而不是“{value}”")
    return str(value)


def _number(item: Fact, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise InvalidFacts(f"{item.label}应当是数字，而不是“{value}”")
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise InvalidFacts(f"{item.label}应当是数字，而不是“{value}”") from None
    if not number.is_finite():
        raise InvalidFacts(f"{item.label}应当是有限的数字，而不是“{value}”")
    return number
