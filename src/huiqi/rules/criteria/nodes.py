"""The criteria AST: conditions over the facts of ``data/facts.yaml`` and their combinations.

Every node is a frozen dataclass that checks itself when built, so a node that exists is
valid: its fact is in the catalogue, its value has the fact's type, its codes exist. The JSON
form (:func:`to_json`, :func:`from_json`) is a plain tree of dicts with a ``kind`` each.

The date a condition is evaluated on is not part of the AST — it is the screening date given
to evaluation — except where a condition names one (``on`` of :class:`SizeIn` and
:class:`Holds`, the period of :class:`FirstTime`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeAlias

from huiqi.rules.facts import Fact, FactType, catalogue
from huiqi.rules.industries import industries
from huiqi.rules.size import SizeClass

from .errors import CriteriaError, InvalidValue, TypeMismatch, UnknownFact


class Op(StrEnum):
    """A comparison; the value is the JSON spelling, :attr:`symbol` the text one."""

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    def holds(self, left: Any, right: Any) -> bool:
        """``left <op> right`` for two values of one type."""
        return _TESTS[self](left, right)


_SYMBOLS = {Op.EQ: "=", Op.NE: "≠", Op.LT: "<", Op.LE: "≤", Op.GT: ">", Op.GE: "≥"}
_TESTS = {
    Op.EQ: lambda a, b: a == b,
    Op.NE: lambda a, b: a != b,
    Op.LT: lambda a, b: a < b,
    Op.LE: lambda a, b: a <= b,
    Op.GT: lambda a, b: a > b,
    Op.GE: lambda a, b: a >= b,
}


class FounderCategory(StrEnum):
    """Who founded the enterprise; each is the boolean fact ``founder_<value>``."""

    GRADUATE = "graduate"
    VETERAN = "veteran"
    RETURNEE = "returnee"
    UNEMPLOYED = "unemployed"
    DISABLED = "disabled"

    @property
    def fact(self) -> str:
        return f"founder_{self.value}"

    @property
    def label(self) -> str:
        return _FOUNDER_LABELS[self]


_FOUNDER_LABELS = {
    FounderCategory.GRADUATE: "高校毕业生",
    FounderCategory.VETERAN: "退役军人",
    FounderCategory.RETURNEE: "返乡创业人员",
    FounderCategory.UNEMPLOYED: "失业人员",
    FounderCategory.DISABLED: "残疾人",
}

LISTING = "listing"
"""The :class:`FirstTime` event 首次上市 (fact ``listed_on``)."""
BOND = "bond"
"""The :class:`FirstTime` event 首次发债 (fact ``first_bond_on``)."""

COMPARABLE = (FactType.INTEGER, FactType.DECIMAL, FactType.DATE)
"""The fact types a :class:`Compare` accepts."""

_DISTRICT = re.compile(r"\d{6}")

Value: TypeAlias = Decimal | date


def fact(name: str) -> Fact:
    """The catalogue's fact, or :class:`UnknownFact`."""
    found = catalogue().facts.get(name)
    if found is None:
        raise UnknownFact(f"事实目录中没有“{name}”")
    return found


def compare_problem(item: Fact, value: object) -> str | None:
    """Why ``item`` cannot be compared with ``value`` (a Chinese message), or None."""
    if item.type not in COMPARABLE:
        hint = {
            FactType.SIZE: "，请写“企业规模 属于 …”或“企业规模 ≤ 中型”",
            FactType.INDUSTRY: "，请写“所属行业 属于 C、65”",
            FactType.DIVISION: "，请写“所在地区 属于 220100”",
            FactType.BOOLEAN: "，请写“失信”或“创办人 属于 …”",
        }.get(item.type, "")
        return f"“{item.label}”不能用比较运算符{hint}"
    if item.type is FactType.DATE and not isinstance(value, date):
        return f"“{item.label}”是日期，只能与日期（如 2024-01-01）比较，而不是数字"
    if item.type is not FactType.DATE and not isinstance(value, Decimal):
        unit = f"（{item.unit}）" if item.unit else ""
        return f"“{item.label}”是数值{unit}，只能与数字比较，而不是日期"
    return None


def industry_problem(code: object) -> str | None:
    """Why ``code`` is not an industry code of GB/T 4754-2017, or None."""
    if isinstance(code, str) and code in industries():
        return None
    return (
        f"《国民经济行业分类》（GB/T 4754-2017）中没有行业代码“{code}”；"
        "代码为门类字母（A—T）或2至4位数字，如 C、39、391、3911"
    )


@dataclass(frozen=True)
class Compare:
    """A numeric or date fact compared with a constant: 营业收入 ≥ 2000万元, 成立日期 ≥
    2020-01-01, 成立年限 < 3年, 研发费用占营业收入比例 ≥ 3%."""

    fact: str
    op: Op
    value: Value

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", Op(self.op))
        value = self.value
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
            object.__setattr__(self, "value", value)
        problem = compare_problem(fact(self.fact), value)
        if problem:
            raise TypeMismatch(problem)
        if isinstance(value, Decimal) and (not value.is_finite() or value < 0):
            raise InvalidValue(f"比较的数值应当是非负的有限数，而不是“{value}”")


@dataclass(frozen=True)
class SizeIn:
    """The size class (划型) is one of ``sizes``: 企业规模 属于 小型、微型; 企业规模 ≤ 中型 is
    the set medium, small, micro. Kept largest first, without repeats."""

    sizes: tuple[SizeClass, ...]
    on: date | None = None

    def __post_init__(self) -> None:
        try:
            sizes = {SizeClass(s) for s in self.sizes}
        except ValueError as exc:
            raise InvalidValue(f"未知的企业规模：{exc}") from None
        if not sizes:
            raise InvalidValue("企业规模条件至少要列出一种规模")
        ordered = tuple(sorted(sizes, key=lambda s: -s.rank))
        object.__setattr__(self, "sizes", ordered)
        _check_date(self.on)


@dataclass(frozen=True)
class IndustryIn:
    """The industry code is, or is under, one of ``codes`` (GB/T 4754-2017): C is every
    manufacturing code, 39 every code of division 39."""

    codes: tuple[str, ...]

    def __post_init__(self) -> None:
        codes = tuple(self.codes)
        object.__setattr__(self, "codes", codes)
        if not codes:
            raise InvalidValue("行业条件至少要列出一个行业代码")
        for code in codes:
            problem = industry_problem(code)
            if problem:
                raise InvalidValue(problem)


@dataclass(frozen=True)
class DistrictIn:
    """The enterprise is registered in one of the divisions ``codes`` (six-digit 行政区划代码;
    220100 is 长春市 and every district under it: the code prefix ``2201``)."""

    codes: tuple[str, ...]

    def __post_init__(self) -> None:
        codes = tuple(self.codes)
        object.__setattr__(self, "codes", codes)
        if not codes:
            raise InvalidValue("地区条件至少要列出一个行政区划代码")
        for code in codes:
            if not isinstance(code, str) or not _DISTRICT.fullmatch(code) or code == "000000":
                raise InvalidValue(f"行政区划代码应当是六位数字，如 220100，而不是“{code}”")


@dataclass(frozen=True)
class Holds:
    """The enterprise holds the qualification, valid on the evaluation date (or on ``on``):
    持有 专精特新中小企业."""

    qualification: str
    on: date | None = None

    def __post_init__(self) -> None:
        _check_qualification(self.qualification)
        _check_date(self.on)


@dataclass(frozen=True)
class FirstTime:
    """A first-time event within a period, both ends included: 首次认定 of a qualification
    (``event`` is its key), 首次上市 (:data:`LISTING`), 首次发债 (:data:`BOND`)."""

    event: str
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.event not in (LISTING, BOND):
            _check_qualification(self.event)
        _check_date(self.start)
        _check_date(self.end)
        if self.end < self.start:
            raise InvalidValue(
                f"期间的终止日 {self.end.isoformat()} 早于起始日 {self.start.isoformat()}"
            )

    @property
    def fact(self) -> str:
        """The date column the event reads."""
        if self.event == LISTING:
            return "listed_on"
        if self.event == BOND:
            return "first_bond_on"
        return catalogue().qualifications[self.event].columns[2]


@dataclass(frozen=True)
class Founder:
    """The founder is in one of the categories: 创办人 属于 高校毕业生、退役军人."""

    categories: tuple[FounderCategory, ...]

    def __post_init__(self) -> None:
        try:
            categories = tuple(FounderCategory(c) for c in self.categories)
        except ValueError as exc:
            raise InvalidValue(f"未知的创办人类别：{exc}") from None
        if not categories:
            raise InvalidValue("创办人条件至少要列出一个类别")
        object.__setattr__(self, "categories", categories)


@dataclass(frozen=True)
class Dishonest:
    """The enterprise is on the list of seriously dishonest entities (严重失信主体名单);
    policies ask for its negation, 不是 失信."""


@dataclass(frozen=True)
class And:
    """Every item holds (且)."""

    items: tuple[Criteria, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _items(self.items, "且"))


@dataclass(frozen=True)
class Or:
    """At least one item holds (或)."""

    items: tuple[Criteria, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _items(self.items, "或"))


@dataclass(frozen=True)
class Not:
    """The item does not hold (不是)."""

    item: Criteria

    def __post_init__(self) -> None:
        if not isinstance(self.item, NODE_TYPES):
            raise InvalidValue(f"“不是”之后应当是条件，而不是 {self.item!r}")


@dataclass(frozen=True)
class AtLeast:
    """At least ``n`` of the items hold (至少满足 N 项)."""

    n: int
    items: tuple[Criteria, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", _items(self.items, "至少满足"))
        if isinstance(self.n, bool) or not isinstance(self.n, int):
            raise InvalidValue(f"至少满足的项数应当是整数，而不是“{self.n}”")
        if not 1 <= self.n <= len(self.items):
            raise InvalidValue(
                f"至少满足的项数应当在 1 到 {len(self.items)}（所列条件数）之间，而不是 {self.n}"
            )


Condition: TypeAlias = (
    Compare | SizeIn | IndustryIn | DistrictIn | Holds | FirstTime | Founder | Dishonest
)
"""A leaf: one condition over facts."""
Criteria: TypeAlias = Condition | And | Or | Not | AtLeast
"""A criteria tree: a condition or a combination."""

LEAF_TYPES = (Compare, SizeIn, IndustryIn, DistrictIn, Holds, FirstTime, Founder, Dishonest)
NODE_TYPES = (*LEAF_TYPES, And, Or, Not, AtLeast)


def _items(items: object, word: str) -> tuple[Criteria, ...]:
    out = tuple(items)  # type: ignore[call-overload]
    if len(out) < 2:
        raise InvalidValue(f"“{word}”应当连接至少两个条件")
    for item in out:
        if not isinstance(item, NODE_TYPES):
            raise InvalidValue(f"“{word}”连接的应当是条件，而不是 {item!r}")
    return out


def _check_qualification(key: str) -> None:
    known = catalogue().qualifications
    if key not in known:
        listed = "、".join(f"{k}（{q.label}）" for k, q in known.items())
        raise UnknownFact(f"未知的资质“{key}”；可用：{listed}")


def _check_date(value: object) -> None:
    if value is not None and type(value) is not date:
        raise TypeMismatch(f"应当是日期（如 2024-01-01），而不是“{value}”")


def leaves(criteria: Criteria) -> tuple[Condition, ...]:
    """The conditions of the tree in their fixed order (depth first, left to right): the order
    of the compact code's 2-bit fields."""
    out: list[Condition] = []
    _collect(criteria, out)
    return tuple(out)


def _collect(node: Criteria, out: list[Condition]) -> None:
    if isinstance(node, And | Or | AtLeast):
        for item in node.items:
            _collect(item, out)
    elif isinstance(node, Not):
        _collect(node.item, out)
    else:
        out.append(node)


def inputs(condition: Condition) -> tuple[str, ...]:
    """The stored facts (population columns) a condition reads."""
    if isinstance(condition, Compare):
        item = fact(condition.fact)
        return item.derived_from or (item.name,)
    if isinstance(condition, SizeIn):
        return fact("size_class").derived_from
    if isinstance(condition, IndustryIn):
        return ("industry",)
    if isinstance(condition, DistrictIn):
        return ("district",)
    if isinstance(condition, Holds):
        return catalogue().qualifications[condition.qualification].columns[:2]
    if isinstance(condition, FirstTime):
        return (condition.fact,)
    if isinstance(condition, Founder):
        return tuple(c.fact for c in condition.categories)
    return ("dishonest",)


# JSON -----------------------------------------------------------------------------------


def to_json(criteria: Criteria) -> dict[str, Any]:
    """The JSON form: dicts with a ``kind``, numbers as decimal strings, dates ISO."""
    node = criteria
    if isinstance(node, And | Or):
        return {"kind": _KIND[type(node)], "items": [to_json(i) for i in node.items]}
    if isinstance(node, Not):
        return {"kind": "not", "item": to_json(node.item)}
    if isinstance(node, AtLeast):
        return {"kind": "at_least", "n": node.n, "items": [to_json(i) for i in node.items]}
    if isinstance(node, Compare):
        value = node.value
        text = value.isoformat() if isinstance(value, date) else _number(value)
        return {"kind": "compare", "fact": node.fact, "op": node.op.value, "value": text}
    if isinstance(node, SizeIn):
        return _dated({"kind": "size", "sizes": [s.value for s in node.sizes]}, node.on)
    if isinstance(node, IndustryIn | DistrictIn):
        return {"kind": _KIND[type(node)], "codes": list(node.codes)}
    if isinstance(node, Holds):
        return _dated({"kind": "holds", "qualification": node.qualification}, node.on)
    if isinstance(node, FirstTime):
        return {
            "kind": "first",
            "event": node.event,
            "from": node.start.isoformat(),
            "to": node.end.isoformat(),
        }
    if isinstance(node, Founder):
        return {"kind": "founder", "categories": [c.value for c in node.categories]}
    if isinstance(node, Dishonest):
        return {"kind": "dishonest"}
    raise InvalidValue(f"不是条件：{node!r}")


def from_json(data: Mapping[str, Any] | str) -> Criteria:
    """The AST of a JSON form (a dict, or its text); errors name the path of the bad node."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise CriteriaError(f"条件的 JSON 无法解析：第{exc.lineno}行第{exc.colno}列") from None
    return _node(data, "$")


def _number(value: Decimal) -> str:
    return format(value, "f")


def _dated(body: dict[str, Any], on: date | None) -> dict[str, Any]:
    if on is not None:
        body["on"] = on.isoformat()
    return body


_KIND: dict[type, str] = {And: "and", Or: "or", IndustryIn: "industry", DistrictIn: "district"}


def _node(data: Any, path: str) -> Criteria:
    if not isinstance(data, Mapping) or "kind" not in data:
        raise CriteriaError(f"条件 JSON {path}：应当是带 kind 的对象")
    kind = data["kind"]
    try:
        return _build(kind, data, path)
    except CriteriaError as exc:
        if exc.reason.startswith("条件 JSON"):
            raise
        raise type(exc)(f"条件 JSON {path}：{exc.reason}") from None
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise CriteriaError(f"条件 JSON {path}（{kind}）：缺少或无效的字段 {exc}") from None


def _build(kind: str, data: Mapping[str, Any], path: str) -> Criteria:
    def items() -> tuple[Criteria, ...]:
        return tuple(_node(item, f"{path}.items[{i}]") for i, item in enumerate(data["items"]))

    if kind == "and":
        return And(items())
    if kind == "or":
        return Or(items())
    if kind == "not":
        return Not(_node(data["item"], f"{path}.item"))
    if kind == "at_least":
        return AtLeast(data["n"], items())
    if kind == "compare":
        item = fact(data["fact"])
        raw = data["value"]
        value: Value = (
            _date(raw) if item.type is FactType.DATE else Decimal(str(_plain(raw, "数值")))
        )
        return Compare(item.name, Op(data["op"]), value)
    if kind == "size":
        return SizeIn(tuple(data["sizes"]), _date(data["on"]) if "on" in data else None)
    if kind == "industry":
        return IndustryIn(tuple(_plain(c, "行业代码") for c in data["codes"]))
    if kind == "district":
        return DistrictIn(tuple(_plain(c, "行政区划代码") for c in data["codes"]))
    if kind == "holds":
        on = _date(data["on"]) if "on" in data else None
        return Holds(data["qualification"], on)
    if kind == "first":
        return FirstTime(data["event"], _date(data["from"]), _date(data["to"]))
    if kind == "founder":
        return Founder(tuple(data["categories"]))
    if kind == "dishonest":
        return Dishonest()
    raise CriteriaError(f"条件 JSON {path}：未知的条件类型“{kind}”")


def _plain(value: Any, what: str) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidValue(f"{what}应当写作字符串，而不是“{value}”")
    return value


def _date(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        raise InvalidValue(f"日期应当写作 YYYY-MM-DD，而不是“{raw}”") from None
