"""The form-based criteria builder: rows of fact · operator · value in groups joined by 且 / 或
/ 至少满足 N 项, as posted by the policy form, and the criteria tree they make.

The builder and the text form (``docs/criteria.md``) are two views of one tree: a builder
posted gives the tree (and so the canonical text, :func:`huiqi.rules.criteria.render`); a
text that parses gives the builder back (:func:`from_criteria`). Every tree has a builder.

Field names carry the node's path: the root group is ``c``, its items ``c.0``, ``c.1``, the
items of a sub-group ``c.1.0``…; each node posts ``<path>-type`` (``group`` or ``row``) and its
own fields (``-op``, ``-n``, ``-not`` for a group; ``-fact``, ``-op``, ``-value``, ``-values``,
``-on``, ``-from``, ``-to``, ``-not`` for a row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Protocol

from huiqi.rules.criteria import (
    BOND,
    LISTING,
    And,
    AtLeast,
    Compare,
    Criteria,
    CriteriaError,
    Dishonest,
    DistrictIn,
    FirstTime,
    Founder,
    FounderCategory,
    Holds,
    IndustryIn,
    Not,
    Op,
    Or,
    SizeIn,
)
from huiqi.rules.criteria.nodes import COMPARABLE
from huiqi.rules.criteria.text import render_condition
from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.industries import industries
from huiqi.rules.size import SizeClass

ROOT = "c"
_LIST = re.compile(r"[、，,\s]+")


class _Posted(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...
    def __iter__(self) -> Any: ...


@dataclass(frozen=True)
class FactChoice:
    """One entry of a row's fact menu, with the value widget it takes."""

    key: str
    label: str
    widget: str
    unit: str = ""


@cache
def fact_choices() -> tuple[FactChoice, ...]:
    """The builder's facts, with their Chinese labels from the fact catalogue."""
    facts = catalogue().facts
    out = [
        FactChoice("size_class", facts["size_class"].label, "size"),
        FactChoice("industry", facts["industry"].label, "industry"),
        FactChoice("district", facts["district"].label, "district"),
        FactChoice("holds", "持有资质", "qualification"),
        FactChoice("first", "首次认定、首次上市、首次发债", "event"),
        FactChoice("founder", "创办人类别", "founder"),
        FactChoice("dishonest", facts["dishonest"].label, "boolean"),
    ]
    for item in facts.values():
        if item.type in COMPARABLE and item.qualification is None and item.name != "year":
            widget = "date" if item.type is FactType.DATE else "number"
            out.append(FactChoice(item.name, item.label, widget, item.unit or ""))
    return tuple(out)


def _choice(key: str) -> FactChoice | None:
    return next((c for c in fact_choices() if c.key == key), None)


OPS = tuple((op.value, op.symbol) for op in Op)
SIZES = tuple((s.value, s.label.removesuffix("企业")) for s in SizeClass)
FOUNDERS = tuple((c.value, c.label) for c in FounderCategory)
GROUP_OPS = (("and", "全部满足（且）"), ("or", "任一满足（或）"), ("at_least", "至少满足 N 项"))


def qualifications() -> tuple[tuple[str, str], ...]:
    return tuple((key, q.label) for key, q in catalogue().qualifications.items())


def events() -> tuple[tuple[str, str], ...]:
    """首次认定 of each qualification, 首次上市, 首次发债."""
    firsts = tuple((key, f"首次认定 {label}") for key, label in qualifications())
    return (*firsts, (LISTING, "首次上市"), (BOND, "首次发债"))


@cache
def industry_options() -> tuple[tuple[str, str], ...]:
    """门类 and 大类 of GB/T 4754-2017, each section followed by its divisions."""
    return tuple(
        (item.code, item.label)
        for item in industries().values()
        if item.level in ("section", "division")
    )


@dataclass
class Row:
    """One condition as the builder shows it; values are kept as posted (text)."""

    path: str
    fact: str = "size_class"
    op: str = "ge"
    value: str = ""
    values: list[str] = field(default_factory=list)
    on: str = ""
    start: str = ""
    end: str = ""
    negate: bool = False
    error: str = ""
    kind = "row"

    @property
    def dom_id(self) -> str:
        return "crit-" + self.path.replace(".", "_")

    @property
    def choice(self) -> FactChoice:
        return _choice(self.fact) or fact_choices()[0]

    @property
    def widget(self) -> str:
        return self.choice.widget


@dataclass
class Group:
    """Items joined by 且 (``and``), 或 (``or``) or 至少满足 N 项 (``at_least``); ``negate``
    puts 不是 before the group."""

    path: str
    op: str = "and"
    n: str = "2"
    negate: bool = False
    items: list[Row | Group] = field(default_factory=list)
    error: str = ""
    kind = "group"

    @property
    def dom_id(self) -> str:
        return "crit-" + self.path.replace(".", "_")

    @property
    def depth(self) -> int:
        return self.path.count(".")

    def find(self, path: str) -> Row | Group | None:
        if path == self.path:
            return self
        for item in self.items:
            if item.path == path:
                return item
            if isinstance(item, Group) and path.startswith(item.path + "."):
                return item.find(path)
        return None

    def renumber(self) -> None:
        """Paths follow the items' positions again (after an item was added or removed)."""
        for i, item in enumerate(self.items):
            item.path = f"{self.path}.{i}"
            if isinstance(item, Group):
                item.renumber()

    def has_errors(self) -> bool:
        return bool(self.error) or any(
            item.has_errors() if isinstance(item, Group) else bool(item.error)
            for item in self.items
        )


def empty() -> Group:
    """A builder with one row, for a new policy."""
    return Group(ROOT, items=[Row(f"{ROOT}.0")])


# posted fields ----------------------------------------------------------------------------


def posted(data: _Posted) -> bool:
    """Whether the builder's fields were posted."""
    return data.get(f"{ROOT}-type") == "group"


def from_post(data: _Posted, path: str = ROOT) -> Group:
    """The builder as posted (its root group)."""
    node = _read(data, path)
    return node if isinstance(node, Group) else Group(path, items=[node])


def _read(data: _Posted, path: str) -> Row | Group:
    flag = data.get(f"{path}-not") in ("on", "true", "1")
    if data.get(f"{path}-type") == "group":
        child = re.compile(re.escape(path) + r"\.(\d+)-type")
        numbers = sorted({int(m.group(1)) for k in data if (m := child.fullmatch(k))})
        return Group(
            path,
            op=data.get(f"{path}-op") or "and",
            n=(data.get(f"{path}-n") or "").strip(),
            negate=flag,
            items=[_read(data, f"{path}.{i}") for i in numbers],
        )
    fact = data.get(f"{path}-fact") or "size_class"
    value = (data.get(f"{path}-value") or "").strip()
    if fact == "dishonest":
        flag = value == "no"
    return Row(
        path,
        fact=fact,
        op=data.get(f"{path}-op") or "ge",
        value=value,
        values=list(data.getlist(f"{path}-values")),
        on=(data.get(f"{path}-on") or "").strip(),
        start=(data.get(f"{path}-from") or "").strip(),
        end=(data.get(f"{path}-to") or "").strip(),
        negate=flag,
    )


def apply(root: Group, action: str) -> None:
    """Carry out a builder button: ``add:<group>`` a row, ``group:<group>`` a sub-group of two
    rows, ``remove:<item>``; anything else only re-renders."""
    verb, _, path = action.partition(":")
    target = root.find(path)
    if verb in ("add", "group") and isinstance(target, Group):
        at = f"{target.path}.{len(target.items)}"
        if verb == "add":
            target.items.append(Row(at))
        else:
            target.items.append(Group(at, items=[Row(f"{at}.0"), Row(f"{at}.1")]))
    elif verb == "remove" and target is not None and target is not root:
        parent = root.find(path.rsplit(".", 1)[0])
        if isinstance(parent, Group):
            parent.items.remove(target)
    root.renumber()


# builder → tree ---------------------------------------------------------------------------


def to_criteria(root: Group) -> Criteria | None:
    """The tree the builder describes, or None when a row or group is wrong (its ``error``
    then says what, in Chinese)."""
    return _group(root)


def _group(group: Group) -> Criteria | None:
    group.error = ""
    built = [_group(i) if isinstance(i, Group) else _row(i) for i in group.items]
    if not group.items:
        group.error = "此组中还没有条件"
        return None
    if any(b is None for b in built):
        return None
    items = tuple(b for b in built if b is not None)
    try:
        if len(items) == 1:
            tree = items[0]
        elif group.op == "or":
            tree = Or(items)
        elif group.op == "at_least":
            if not group.n.isdigit():
                group.error = f"“至少满足”的项数应当是 1 到 {len(items)} 之间的整数"
                return None
            tree = AtLeast(int(group.n), items)
        else:
            tree = And(items)
    except CriteriaError as exc:
        group.error = exc.reason
        return None
    return Not(tree) if group.negate else tree


def _row(row: Row) -> Criteria | None:
    row.error = ""
    try:
        leaf = _leaf(row)
    except CriteriaError as exc:
        row.error = exc.reason
        return None
    except _Invalid as exc:
        row.error = str(exc)
        return None
    return Not(leaf) if row.negate else leaf


class _Invalid(ValueError):
    """A row value that cannot be read (the message is shown next to the row)."""


def _leaf(row: Row) -> Criteria:
    choice = _choice(row.fact)
    if choice is None:
        raise _Invalid(f"未知的事实“{row.fact}”")
    widget = choice.widget
    if widget == "size":
        if not row.values:
            raise _Invalid("请至少勾选一种企业规模")
        return SizeIn(tuple(row.values), _date(row.on, "日期", optional=True))
    if widget in ("industry", "district"):
        codes = tuple(c for c in _LIST.split(row.value.upper()) if c)
        if not codes:
            what = "行业代码（如 C、39）" if widget == "industry" else "行政区划代码（如 220100）"
            raise _Invalid(f"请填写{what}")
        return IndustryIn(codes) if widget == "industry" else DistrictIn(codes)
    if widget == "qualification":
        if not row.value:
            raise _Invalid("请选择资质")
        return Holds(row.value, _date(row.on, "日期", optional=True))
    if widget == "event":
        if not row.value:
            raise _Invalid("请选择事项")
        start = _date(row.start, "起始日")
        end = _date(row.end, "终止日")
        assert start is not None and end is not None
        return FirstTime(row.value, start, end)
    if widget == "founder":
        if not row.values:
            raise _Invalid("请至少勾选一个创办人类别")
        return Founder(tuple(row.values))
    if widget == "boolean":
        return Dishonest()
    if row.op not in {op for op, _ in OPS}:
        raise _Invalid("请选择比较运算符")
    value: Decimal | date | None
    if widget == "date":
        value = _date(row.value, "日期")
    else:
        try:
            value = Decimal(row.value)
        except InvalidOperation:
            raise _Invalid(
                f"请填写数字（{choice.unit or '无单位'}），而不是“{row.value}”"
            ) from None
    assert value is not None
    return Compare(row.fact, Op(row.op), value)


def _date(text: str, what: str, optional: bool = False) -> date | None:
    if not text and optional:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Invalid(f"{what}应当是日期（如 2026-01-01），而不是“{text}”") from None


# tree → builder ---------------------------------------------------------------------------


def from_criteria(tree: Criteria) -> Group:
    """The builder showing a tree."""
    node = _node(tree, ROOT)
    if isinstance(node, Group):
        return node
    node.path = f"{ROOT}.0"
    return Group(ROOT, items=[node])


def _node(tree: Criteria, path: str) -> Row | Group:
    if isinstance(tree, Not):
        inner = tree.item
        if isinstance(inner, Not):
            return Group(path, negate=True, items=[_node(inner, f"{path}.0")])
        node = _node(inner, path)
        node.negate = True
        if isinstance(node, Row) and node.fact == "dishonest":
            node.value = "no"
        return node
    if isinstance(tree, And | Or | AtLeast):
        op = "and" if isinstance(tree, And) else "or" if isinstance(tree, Or) else "at_least"
        n = str(tree.n) if isinstance(tree, AtLeast) else "2"
        items = [_node(item, f"{path}.{i}") for i, item in enumerate(tree.items)]
        return Group(path, op=op, n=n, items=items)
    return _leaf_row(tree, path)


def _leaf_row(tree: Criteria, path: str) -> Row:
    if isinstance(tree, Compare):
        value = tree.value.isoformat() if isinstance(tree.value, date) else format(tree.value, "f")
        return Row(path, fact=tree.fact, op=tree.op.value, value=value)
    if isinstance(tree, SizeIn):
        return Row(path, values=[s.value for s in tree.sizes], on=_iso(tree.on))
    if isinstance(tree, IndustryIn):
        return Row(path, fact="industry", value="、".join(tree.codes))
    if isinstance(tree, DistrictIn):
        return Row(path, fact="district", value="、".join(tree.codes))
    if isinstance(tree, Holds):
        return Row(path, fact="holds", value=tree.qualification, on=_iso(tree.on))
    if isinstance(tree, FirstTime):
        return Row(path, fact="first", value=tree.event, start=_iso(tree.start), end=_iso(tree.end))
    if isinstance(tree, Founder):
        return Row(path, fact="founder", values=[c.value for c in tree.categories])
    return Row(path, fact="dishonest", value="yes")


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def outline(tree: Criteria) -> dict[str, Any]:
    """The tree as nested items of plain Chinese, for reading: ``{"text", "items"}``."""
    if isinstance(tree, Not) and not isinstance(tree.item, And | Or | AtLeast | Not):
        return {"text": f"不是 {render_condition(tree.item)}", "items": []}
    if isinstance(tree, Not):
        inner = outline(tree.item)
        return {"text": "不满足下列条件：", "items": [inner]}
    if isinstance(tree, And | Or | AtLeast):
        head = (
            "同时满足下列全部条件："
            if isinstance(tree, And)
            else "满足下列任一条件："
            if isinstance(tree, Or)
            else f"至少满足下列 {tree.n} 项条件："
        )
        return {"text": head, "items": [outline(i) for i in tree.items]}
    return {"text": render_condition(tree), "items": []}
