"""Criteria compiled to SQL for SQLite, PostgreSQL and DuckDB, built as sqlglot expressions.

The query screens a population table (one column per stored fact, ``data/facts.yaml``) for
many policies in one scan. Per enterprise it yields, for each policy, the result's degree
(2 eligible, 1 possibly, 0 not) and the compact code of :mod:`.outcome`.

Each condition is a boolean SQL expression (NULL: unknown) turned into a truth degree
0 false, 1 unknown, 2 true (``COALESCE(CAST(b AS INT) * 2, 1)``). On degrees Kleene's logic
is arithmetic: AND is LEAST, OR is GREATEST, NOT is ``2 − x``, "at least N" counts with CASE;
every degree is used once by a simple ``CASE x WHEN …``, so engines that inline subqueries
do not evaluate a condition many times. Each condition means exactly what :mod:`.evaluate`
computes, from the shared :mod:`.semantics`:

- size class: a CASE placing the industry code in its row of the size standard (generated
  from ``size_standards.yaml``), then per tier the degree to which its lower bounds are met,
  and for a set of sizes the runs of :func:`.semantics.size_in`;
- years since founding (民法典 第二百零一条、第二百零二条): founding-date comparisons;
- R&D ratio: ``ROUND(研发费用 × a, 4) ⋚ ROUND(营业收入 × b, 4)`` with integers a, b.

Dates are DATE columns in PostgreSQL and DuckDB and ISO text (YYYY-MM-DD) in SQLite;
booleans are BOOLEAN, or 0/1 in SQLite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from sqlglot import exp

from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.size import TIERS, Indicator, SizeStandard, standard_on

from .errors import PopulationError
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
    Op,
    Or,
    SizeIn,
    inputs,
    leaves,
)
from .semantics import (
    AMOUNT_PLACES,
    TIER_OF_RANK,
    district_prefix,
    founded_before,
    industry_test,
    ratio_factors,
    size_runs,
)

DIALECTS = ("sqlite", "postgres", "duckdb")
MAX_CONDITIONS = 31
"""Conditions per policy that fit a signed 64-bit compact code (2 bits each)."""
REFUSED = "-"
"""The size-group value of an industry the size standard leaves out."""
UNPLACED = "?"
"""The size-group value of an industry code too coarse to place, or not a code at all."""

_CMP: dict[Op, type[exp.Expression]] = {
    Op.EQ: exp.EQ,
    Op.NE: exp.NEQ,
    Op.LT: exp.LT,
    Op.LE: exp.LTE,
    Op.GT: exp.GT,
    Op.GE: exp.GTE,
}


@dataclass(frozen=True)
class ScreeningQuery:
    """A SELECT over the population: ``uscc``, then per policy (in ``policies`` order) its
    result degree and code columns (``value_<i>``: 2 eligible, 1 possibly, 0 not;
    ``code_<i>``: the compact code). Its stages are materialised CTEs
    (the industry's row of the size standard, then the conditions' degrees), so however an
    engine inlines, every condition is computed once per enterprise; DuckDB, which shares
    common subexpressions itself, is left to plan them freely."""

    sql: str
    dialect: str
    policies: tuple[str, ...]
    columns: tuple[str, ...]
    """The population columns the query reads."""


def screening_query(
    criteria: Mapping[str, Criteria],
    on: date,
    dialect: str,
    *,
    table: str = "enterprises",
) -> ScreeningQuery:
    """The screening SELECT for every policy's criteria on the screening date ``on``."""
    if dialect not in DIALECTS:
        raise PopulationError(f"不支持的数据库“{dialect}”；可用：{'、'.join(DIALECTS)}")
    if type(on) is not date:
        raise PopulationError(f"筛查日期应当是日期，而不是“{on}”")
    compiler = _Compiler(on, dialect)
    policies = tuple(criteria)
    leaf_columns: list[exp.Expression] = [exp.column("uscc")]
    outputs: list[exp.Expression] = [exp.column("uscc")]
    for p, policy in enumerate(policies):
        tree = criteria[policy]
        conditions = leaves(tree)
        if len(conditions) > MAX_CONDITIONS:
            raise PopulationError(
                f"政策“{policy}”有 {len(conditions)} 项条件，超过筛查结果代码可容纳的"
                f" {MAX_CONDITIONS} 项；请拆分条件"
            )
        names = [f"l_{p}_{i}" for i in range(len(conditions))]
        leaf_columns += [
            _alias(compiler.degree(c), name) for c, name in zip(conditions, names, strict=True)
        ]
        refs = [exp.column(name) for name in names]
        value, used = _combined(tree, refs, 0, dialect)
        assert used == len(refs)
        outputs.append(_alias(value, f"value_{p}"))
        outputs.append(_alias(_code(refs), f"code_{p}"))

    columns = tuple(
        name
        for name in catalogue().facts
        if name == "uscc" or any(name in inputs(c) for t in criteria.values() for c in leaves(t))
    )
    source: exp.Expression = exp.to_table(table)
    stages: list[tuple[str, exp.Select]] = []
    if compiler.standards:
        placed = _select([exp.column(c) for c in columns] + compiler.groups(), source)
        stages.append(("placed", placed))
        meets = _select([exp.Star(), *compiler.meets()], exp.to_table("placed"))
        source = meets.subquery("sized", copy=False)
    stages.append(("conditions", _select(leaf_columns, source)))
    query = _select(outputs, exp.to_table("conditions"))
    for name, stage in stages:
        query = query.with_(name, as_=stage, copy=False)
    if dialect != "duckdb":
        for cte in query.find_all(exp.CTE):
            cte.set("materialized", True)
    return ScreeningQuery(query.sql(dialect=dialect), dialect, policies, columns)


def population_schema(dialect: str, table: str = "enterprises") -> str:
    """CREATE TABLE for a population: one column per stored fact, typed for the engine."""
    if dialect not in DIALECTS:
        raise PopulationError(f"不支持的数据库“{dialect}”；可用：{'、'.join(DIALECTS)}")
    columns = [
        exp.ColumnDef(
            this=exp.to_identifier(item.name),
            kind=exp.DataType.build(column_type(item.type, dialect)),
            constraints=(
                [exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())]
                if item.name == "uscc"
                else []
            ),
        )
        for item in catalogue().stored()
    ]
    create = exp.Create(
        this=exp.Schema(this=exp.to_table(table), expressions=columns), kind="TABLE"
    )
    return create.sql(dialect=dialect)


def column_type(kind: FactType, dialect: str) -> str:
    """The column type of a fact type: dates are ISO text and booleans 0/1 in SQLite;
    amounts are exact NUMERIC in PostgreSQL and DOUBLE in DuckDB."""
    if kind is FactType.DATE:
        return "TEXT" if dialect == "sqlite" else "DATE"
    if kind is FactType.BOOLEAN:
        return "INTEGER" if dialect == "sqlite" else "BOOLEAN"
    if kind is FactType.INTEGER:
        return "BIGINT"
    if kind is FactType.DECIMAL:
        return {"sqlite": "REAL", "postgres": "NUMERIC", "duckdb": "DOUBLE"}[dialect]
    return "TEXT"


# building blocks (no copies: sqlglot builders copy their arguments unless told not to) ----


def _select(columns: list[exp.Expression], source: exp.Expression) -> exp.Select:
    return exp.Select(expressions=columns).from_(source, copy=False)


def _case(*whens: tuple[exp.Expression, exp.Expression], default: exp.Expression) -> exp.Case:
    return exp.Case(ifs=[exp.If(this=c, true=v) for c, v in whens], default=default)


def _and(*parts: exp.Expression) -> exp.Expression:
    return exp.and_(*parts, copy=False)


def _or(*parts: exp.Expression) -> exp.Expression:
    return exp.or_(*parts, copy=False)


def _not(part: exp.Expression) -> exp.Expression:
    return exp.not_(exp.paren(part, copy=False), copy=False)


def _alias(expression: exp.Expression, name: str) -> exp.Expression:
    return exp.alias_(expression, name, copy=False)


def _in(column: exp.Expression, values: list[str]) -> exp.Expression:
    return column.isin(*map(exp.Literal.string, values), copy=False)


def _least(parts: list[exp.Expression], dialect: str) -> exp.Expression:
    """Kleene AND of degrees. Degrees are never NULL, so SQLite's MIN and the LEAST of the
    others agree; written as plain calls so no NULL-handling rewrite is added."""
    if len(parts) == 1:
        return parts[0]
    return exp.Anonymous(this="MIN" if dialect == "sqlite" else "LEAST", expressions=parts)


def _greatest(parts: list[exp.Expression], dialect: str) -> exp.Expression:
    """Kleene OR of degrees."""
    if len(parts) == 1:
        return parts[0]
    return exp.Anonymous(this="MAX" if dialect == "sqlite" else "GREATEST", expressions=parts)


def _negated(degree: exp.Expression) -> exp.Expression:
    """Kleene NOT of a degree: 2 − x."""
    return exp.Sub(this=_number(2), expression=exp.paren(degree, copy=False))


def _degree(test: exp.Expression) -> exp.Expression:
    """The degree of a boolean test: 2 true, 0 false, 1 NULL."""
    twice = exp.Mul(
        this=_cast(exp.paren(test, copy=False), exp.DataType.Type.INT), expression=_number(2)
    )
    return exp.Coalesce(this=twice, expressions=[_number(1)])


def _switch(
    value: exp.Expression, *whens: tuple[exp.Expression, exp.Expression], default: exp.Expression
) -> exp.Case:
    """``CASE value WHEN … THEN …``: the value is written (and evaluated) once."""
    return exp.Case(this=value, ifs=[exp.If(this=c, true=v) for c, v in whens], default=default)


def _cast(value: exp.Expression, to: exp.DataType.Type) -> exp.Expression:
    return exp.Cast(this=value, to=exp.DataType(this=to))


def _null(column: exp.Expression) -> exp.Expression:
    return exp.Is(this=column, expression=exp.null())


def _number(value: int | str) -> exp.Literal:
    return exp.Literal.number(value)


# combinators ------------------------------------------------------------------------------


def _combined(
    node: Criteria, refs: list[exp.Expression], start: int, dialect: str
) -> tuple[exp.Expression, int]:
    """The degree of ``node`` from its conditions' degrees."""
    if isinstance(node, Not):
        inner, end = _combined(node.item, refs, start, dialect)
        return _negated(inner), end
    if isinstance(node, And | Or | AtLeast):
        parts = []
        index = start
        for item in node.items:
            part, index = _combined(item, refs, index, dialect)
            parts.append(part)
        if isinstance(node, And):
            return _least(parts, dialect), index
        if isinstance(node, Or):
            return _greatest(parts, dialect), index
        return _at_least(node.n, parts), index
    return refs[start].copy(), start + 1


def _count(parts: list[exp.Expression], degree: int, hit: int) -> exp.Expression:
    """Σ over parts of ``hit`` when the part's degree is ``degree``, else ``1 − hit``."""
    total: exp.Expression | None = None
    for part in parts:
        term = _switch(part.copy(), (_number(degree), _number(hit)), default=_number(1 - hit))
        total = term if total is None else exp.Add(this=total, expression=term)
    assert total is not None
    return exp.paren(total, copy=False)


def _at_least(n: int, parts: list[exp.Expression]) -> exp.Expression:
    """Kleene "at least n": true when n are true, false when fewer than n are not false."""
    return _case(
        (exp.GTE(this=_count(parts, 2, 1), expression=_number(n)), _number(2)),
        (exp.LT(this=_count(parts, 0, 0), expression=_number(n)), _number(0)),
        default=_number(1),
    )


def _code(refs: list[exp.Expression]) -> exp.Expression:
    """The compact code: 1 passed, 2 failed, 3 unknown, condition i times 4^i."""
    total: exp.Expression | None = None
    for i, ref in enumerate(refs):
        field = _switch(
            ref.copy(), (_number(2), _number(1)), (_number(0), _number(2)), default=_number(3)
        )
        term = field if i == 0 else exp.Mul(this=field, expression=_number(4**i))
        total = term if total is None else exp.Add(this=total, expression=term)
    assert total is not None
    return total


# conditions -------------------------------------------------------------------------------


class _Compiler:
    """Compiles conditions for one screening date and dialect; collects the size standards
    the size conditions need (one derived size group and set of tier columns each)."""

    def __init__(self, on: date, dialect: str):
        self.on = on
        self.dialect = dialect
        self.standards: dict[str, SizeStandard] = {}

    def degree(self, node: Condition) -> exp.Expression:
        """The condition's degree: 2 true, 0 false, 1 unknown."""
        if isinstance(node, SizeIn):
            return self.size(node)
        return _degree(self.condition(node))

    def condition(self, node: Condition) -> exp.Expression:
        """The condition as a boolean test (NULL: unknown)."""
        if isinstance(node, Compare):
            if node.fact == "years_since_founding":
                return self.years(node)
            if node.fact == "rd_ratio":
                return self.ratio(node)
            test = _CMP[node.op](this=exp.column(node.fact), expression=self.literal(node.value))
            return _absent_false(test) if catalogue().facts[node.fact].complete else test
        if isinstance(node, IndustryIn):
            return _or(*(exp.paren(self.industry(code), copy=False) for code in node.codes))
        if isinstance(node, DistrictIn):
            return _or(*(_prefix(exp.column("district"), district_prefix(c)) for c in node.codes))
        if isinstance(node, Holds):
            start, end = catalogue().qualifications[node.qualification].columns[:2]
            day = node.on or self.on
            valid = _and(
                exp.LTE(this=exp.column(start), expression=self.literal(day)),
                exp.paren(
                    _or(
                        _null(exp.column(end)),
                        exp.GTE(this=exp.column(end), expression=self.literal(day)),
                    ),
                    copy=False,
                ),
            )
            return _absent_false(valid)
        if isinstance(node, FirstTime):
            test = exp.Between(
                this=exp.column(node.fact),
                low=self.literal(node.start),
                high=self.literal(node.end),
            )
            return _absent_false(test) if catalogue().facts[node.fact].complete else test
        if isinstance(node, Founder):
            return _or(*(exp.column(c.fact) for c in node.categories))
        assert isinstance(node, Dishonest)
        return exp.column("dishonest")

    def literal(self, value: Decimal | date) -> exp.Expression:
        if isinstance(value, date):
            text = exp.Literal.string(value.isoformat())
            return text if self.dialect == "sqlite" else _cast(text, exp.DataType.Type.DATE)
        return _number(format(value, "f"))

    def years(self, node: Compare) -> exp.Expression:
        """Whole years since founding ⋚ N, as comparisons of the founding date with the
        dates of :func:`founded_before` (years ≥ k ⟺ founded < founded_before(on, k))."""
        assert isinstance(node.value, Decimal)
        floor = int(node.value.to_integral_value(ROUND_FLOOR))
        ceil = int(node.value.to_integral_value(ROUND_CEILING))

        def at_least(k: int) -> exp.Expression:
            bound = founded_before(self.on, k)
            if bound is None:
                return _known(exp.column("founded"), exp.false())
            return exp.LT(this=exp.column("founded"), expression=self.literal(bound))

        op = node.op
        if op is Op.GE:
            return at_least(ceil)
        if op is Op.GT:
            return at_least(floor + 1)
        if op is Op.LE:
            return _not(at_least(floor + 1))
        if op is Op.LT:
            return _not(at_least(ceil))
        if floor != ceil:
            return _known(exp.column("founded"), exp.false() if op is Op.EQ else exp.true())
        equal = _and(at_least(floor), _not(at_least(floor + 1)))
        return equal if op is Op.EQ else _not(equal)

    def ratio(self, node: Compare) -> exp.Expression:
        """研发费用 ÷ 营业收入 × 100 ⋚ N without dividing; no positive revenue: false."""
        assert isinstance(node.value, Decimal)
        a, b = ratio_factors(node.value)
        left = self.rounded(exp.Mul(this=exp.column("rd_expense"), expression=_number(a)))
        right = self.rounded(exp.Mul(this=exp.column("revenue"), expression=_number(b)))
        return _case(
            (_null(exp.column("revenue")), exp.null()),
            (exp.LTE(this=exp.column("revenue"), expression=_number(0)), exp.false()),
            (_null(exp.column("rd_expense")), exp.null()),
            default=_CMP[node.op](this=left, expression=right),
        )

    def rounded(self, value: exp.Expression) -> exp.Expression:
        if self.dialect == "postgres":
            value = _cast(value, exp.DataType.Type.DECIMAL)
        return exp.Round(this=value, decimals=_number(AMOUNT_PLACES))

    def industry(self, code: str) -> exp.Expression:
        test = industry_test(code)
        column = exp.column("industry")
        if test.divisions:
            match = _or(
                exp.EQ(this=column.copy(), expression=exp.Literal.string(code)),
                _in(_substr(column.copy(), 2), sorted(test.divisions)),
            )
        else:
            match = _prefix(column.copy(), code)
        whens = [(_null(column.copy()), exp.null()), (match, exp.true())]
        if test.coarser:
            whens.append((_in(column.copy(), sorted(test.coarser)), exp.null()))
        return _case(*whens, default=exp.false())

    # size --------------------------------------------------------------------------------

    def size(self, node: SizeIn) -> exp.Expression:
        """企业规模 属于 …: unknown without a placed industry, false for an industry the
        standard leaves out, else the runs of :func:`.semantics.size_in` over the degrees to
        which each tier's lower bounds are met."""
        standard = standard_on(node.on or self.on)
        self.standards[standard.id] = standard
        key = _key(standard)
        runs = []
        for lo, hi in size_runs(node.sizes):
            parts: list[exp.Expression] = []
            if lo > 0:
                parts.append(exp.column(f"meets_{key}_{TIER_OF_RANK[lo].value}"))
            if hi < 3:
                parts.append(_negated(exp.column(f"meets_{key}_{TIER_OF_RANK[hi + 1].value}")))
            runs.append(_least(parts, self.dialect) if parts else _number(2))
        group = exp.Coalesce(
            this=exp.column(f"size_group_{key}"), expressions=[exp.Literal.string(UNPLACED)]
        )
        return _switch(
            group,
            (exp.Literal.string(REFUSED), _number(0)),
            (exp.Literal.string(UNPLACED), _number(1)),
            default=_greatest(runs, self.dialect),
        )

    def groups(self) -> list[exp.Expression]:
        """Per standard used, the row of the size standard each industry code falls in."""
        return [
            _alias(_case(*_placement_whens(s), default=exp.null()), f"size_group_{_key(s)}")
            for s in self.standards.values()
        ]

    def meets(self) -> list[exp.Expression]:
        """Per standard and tier: the degree to which the row's lower bounds are all met."""
        out = []
        for standard in self.standards.values():
            key = _key(standard)
            for tier in TIERS:
                whens = [
                    (exp.Literal.string(group.id), self.bounds_met(group.bounds[tier]))
                    for group in standard.groups.values()
                ]
                meets = _switch(exp.column(f"size_group_{key}"), *whens, default=_number(1))
                out.append(_alias(meets, f"meets_{key}_{tier.value}"))
        return out

    def bounds_met(self, bounds: Mapping[Indicator, Decimal]) -> exp.Expression:
        """The degree to which every lower bound of a row's tier is met."""
        tests = [
            _degree(
                exp.GTE(this=exp.column(indicator.value), expression=_number(format(bound, "f")))
            )
            for indicator, bound in bounds.items()
        ]
        return _least(tests, self.dialect)


def _placement_whens(standard: SizeStandard) -> list[tuple[exp.Expression, exp.Expression]]:
    """industry IN (every code placed in a row) → the row's id; codes the standard leaves
    out → :data:`REFUSED`; codes too coarse or not in GB/T 4754-2017 fall through to NULL."""
    by_group: dict[str, list[str]] = {}
    for code, placement in standard.placements.items():
        name = placement.group.id if placement.group and not placement.refused else REFUSED
        by_group.setdefault(name, []).append(code)
    return [
        (_in(exp.column("industry"), sorted(codes)), exp.Literal.string(name))
        for name, codes in by_group.items()
    ]


def _key(standard: SizeStandard) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in standard.id)


def _substr(column: exp.Expression, length: int) -> exp.Expression:
    return exp.Substring(this=column, start=_number(1), length=_number(length))


def _prefix(column: exp.Expression, prefix: str) -> exp.Expression:
    return exp.EQ(this=_substr(column, len(prefix)), expression=exp.Literal.string(prefix))


def _absent_false(test: exp.Expression) -> exp.Expression:
    """For facts of complete lists: NULL (not listed) is false, not unknown."""
    return exp.Coalesce(this=exp.paren(test, copy=False), expressions=[exp.false()])


def _known(column: exp.Expression, value: exp.Expression) -> exp.Expression:
    """``value``, or NULL when the column is NULL."""
    return _case((_null(column), exp.null()), default=value)
