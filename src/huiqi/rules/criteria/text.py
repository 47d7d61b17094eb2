"""The Chinese text form of criteria, for officials to read and write.

:func:`render` gives the canonical text and :func:`parse` reads it back to the same tree
(``parse(render(ast)) == ast``). The grammar (``docs/criteria.md``)::

    criteria  := all ( "或" all )*
    all       := unary ( "且" unary )*
    unary     := "不是" unary | "（" criteria "）" | at_least | condition
    at_least  := "至少满足" N "项" "（" criteria ( "；" criteria )+ "）"
    condition := fact op value                       营业收入 ≥ 2000万元
               | ["于" date] "企业规模" ("属于" sizes | op size)   企业规模 属于 小型、微型
               | "所属行业" ("属于" codes | "以" code "开头")     所属行业 属于 C、65
               | "所在地区" "属于" codes                         所在地区 属于 220100
               | ["于" date] "持有" qualification               持有 高新技术企业
               | ("首次认定" qualification | "首次上市" | "首次发债")
                     "在" date "至" date "期间"
               | "创办人" "属于" categories                      创办人 属于 退役军人
               | "失信"

Spaces are optional; ASCII ``( ) ; , >= <= != =`` are accepted for their full-width or
mathematical forms; a fact may be named by its label or its catalogue name.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cache
from typing import NoReturn

from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.size import SizeClass

from .errors import (
    CriteriaError,
    CriteriaSyntaxError,
    InvalidValue,
    TypeMismatch,
    UnknownFact,
)
from .nodes import (
    BOND,
    LISTING,
    And,
    AtLeast,
    Compare,
    Criteria,
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
    compare_problem,
    industry_problem,
)

_SIZE_WORDS = {
    SizeClass.LARGE: "大型",
    SizeClass.MEDIUM: "中型",
    SizeClass.SMALL: "小型",
    SizeClass.MICRO: "微型",
}
_RANKED = (SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO)
_EVENT_WORDS = {LISTING: "首次上市", BOND: "首次发债"}


# render ---------------------------------------------------------------------------------


def render(criteria: Criteria) -> str:
    """The canonical text: 企业规模 属于 小型、微型 且 所属行业 属于 C 且 不是 失信."""
    node = criteria
    if isinstance(node, And | Or):
        word = " 且 " if isinstance(node, And) else " 或 "
        return word.join(_grouped(item) for item in node.items)
    if isinstance(node, Not):
        return f"不是 {_grouped(node.item)}"
    if isinstance(node, AtLeast):
        return f"至少满足 {node.n} 项（{'；'.join(render(i) for i in node.items)}）"
    return render_condition(node)


def _grouped(node: Criteria) -> str:
    return f"（{render(node)}）" if isinstance(node, And | Or) else render(node)


def render_condition(node: Criteria) -> str:
    """The text of one condition (a leaf)."""
    if isinstance(node, Compare):
        item = catalogue().facts[node.fact]
        return f"{item.label} {node.op.symbol} {render_value(node.fact, node.value)}"
    if isinstance(node, SizeIn):
        return _dated(node.on, f"企业规模 {_size_text(node.sizes)}")
    if isinstance(node, IndustryIn):
        return f"所属行业 属于 {'、'.join(node.codes)}"
    if isinstance(node, DistrictIn):
        return f"所在地区 属于 {'、'.join(node.codes)}"
    if isinstance(node, Holds):
        label = catalogue().qualifications[node.qualification].label
        return _dated(node.on, f"持有 {label}")
    if isinstance(node, FirstTime):
        what = _EVENT_WORDS.get(node.event)
        if what is None:
            what = f"首次认定 {catalogue().qualifications[node.event].label}"
        return f"{what} 在 {node.start.isoformat()} 至 {node.end.isoformat()} 期间"
    if isinstance(node, Founder):
        return f"创办人 属于 {'、'.join(c.label for c in node.categories)}"
    if isinstance(node, Dishonest):
        return "失信"
    raise InvalidValue(f"不是条件：{node!r}")


def render_value(fact: str, value: Decimal | date) -> str:
    """2000万元, 3%, 2020-01-01: a value with the fact's unit."""
    if isinstance(value, date):
        return value.isoformat()
    return f"{format(value, 'f')}{catalogue().facts[fact].unit or ''}"


def _dated(on: date | None, text: str) -> str:
    return text if on is None else f"于 {on.isoformat()} {text}"


def _size_text(sizes: tuple[SizeClass, ...]) -> str:
    """≤ 中型 for medium and below, ≥ 小型 for small and above, else the list."""
    ranks = sorted(s.rank for s in sizes)
    if ranks == [0, 1, 2]:
        return f"≤ {_SIZE_WORDS[sizes[0]]}"
    if ranks == [1, 2, 3]:
        return f"≥ {_SIZE_WORDS[sizes[-1]]}"
    return f"属于 {'、'.join(_SIZE_WORDS[s] for s in sizes)}"


# parse ----------------------------------------------------------------------------------

_OPS = {
    "≥": Op.GE,
    ">=": Op.GE,
    "≤": Op.LE,
    "<=": Op.LE,
    "≠": Op.NE,
    "!=": Op.NE,
    "<>": Op.NE,
    "==": Op.EQ,
    "=": Op.EQ,
    "＝": Op.EQ,
    "<": Op.LT,
    "＜": Op.LT,
    ">": Op.GT,
    "＞": Op.GT,
}
_OPEN = ("（", "(")
_CLOSE = ("）", ")")
_LIST = ("、", "，", ",")
_ITEM = ("；", ";")
_UNITS = ("万元", "亿元", "元", "人", "年", "%", "％", "个", "月", "天")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_INTEGER = re.compile(r"\d+")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CODE = re.compile(r"[A-Za-z]|\d+")
_STOP = "（）()、，,；;<>=≥≤≠＝＜＞!"


def parse(text: str) -> Criteria:
    """The criteria tree of a text. A text that breaks the grammar raises
    :class:`CriteriaSyntaxError`; an unknown fact :class:`UnknownFact`; a comparison of the
    wrong type :class:`TypeMismatch` — each message gives the line, column and a caret."""
    if not isinstance(text, str):
        raise CriteriaSyntaxError(f"条件文本应当是字符串，而不是 {type(text).__name__}")
    parser = _Parser(text)
    parser.space()
    if parser.at_end():
        raise CriteriaSyntaxError("条件文本为空", text, 0)
    result = parser.criteria()
    parser.space()
    if not parser.at_end():
        parser.fail("此处应当是“且”“或”或文本结尾")
    return result


@cache
def _condition_words() -> dict[str, str]:
    """Words that start a condition, each with what it starts: a keyword or a fact name."""
    words = {
        "企业规模": "size",
        "所属行业": "industry",
        "所在地区": "district",
        "持有": "holds",
        "于": "dated",
        "首次认定": "first",
        "首次上市": "listing",
        "首次发债": "bond",
        "创办人": "founder",
        "失信": "dishonest",
    }
    for item in catalogue().facts.values():
        words.setdefault(item.label, f"fact:{item.name}")
    return words


@cache
def _qualification_words() -> dict[str, str]:
    known = catalogue().qualifications
    words = {q.label: key for key, q in known.items()}
    words.update({key: key for key in known})
    return words


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    # scanning ---------------------------------------------------------------------------

    def space(self) -> None:
        m = _SPACE.match(self.text, self.pos)
        if m:
            self.pos = m.end()

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self, *words: str) -> str | None:
        """The longest of ``words`` at the position (after spaces), without taking it."""
        self.space()
        found = [w for w in words if self.text.startswith(w, self.pos)]
        return max(found, key=len) if found else None

    def take(self, *words: str) -> str | None:
        word = self.peek(*words)
        if word is not None:
            self.pos += len(word)
        return word

    def expect(self, *words: str, what: str | None = None) -> str:
        word = self.take(*words)
        if word is None:
            self.fail(f"此处应当是{what or '“' + words[0] + '”'}")
        return word

    def match(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        self.space()
        m = pattern.match(self.text, self.pos)
        if m:
            self.pos = m.end()
        return m

    def found(self) -> str:
        if self.at_end():
            return "文本结尾"
        end = self.pos + 1
        while end < len(self.text) and end - self.pos < 8 and not self.text[end].isspace():
            end += 1
        return f"“{self.text[self.pos : end]}”"

    def fail(
        self, message: str, at: int | None = None, kind: type[CriteriaError] = CriteriaSyntaxError
    ) -> NoReturn:
        where = self.pos if at is None else at
        if at is None:
            message = f"{message}，而不是{self.found()}"
        raise kind(message, self.text, where)

    def build(self, at: int, make: Callable[[], Criteria]) -> Criteria:
        """A node built from parsed parts; its own checks point at ``at``."""
        try:
            return make()
        except CriteriaError as exc:
            raise type(exc)(exc.reason, self.text, at) from None

    # grammar ----------------------------------------------------------------------------

    def criteria(self) -> Criteria:
        items = [self.all()]
        while self.take("或"):
            items.append(self.all())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def all(self) -> Criteria:
        items = [self.unary()]
        while self.take("且"):
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Criteria:
        if self.take("不是"):
            return Not(self.unary())
        if self.take(*_OPEN):
            inner = self.criteria()
            self.expect(*_CLOSE, what="右括号“）”")
            return inner
        if self.peek("至少满足"):
            return self.at_least()
        return self.condition()

    def at_least(self) -> Criteria:
        start = self.pos
        self.take("至少满足")
        m = self.match(_INTEGER)
        if m is None:
            self.fail("“至少满足”之后应当是项数（整数）")
        self.expect("项")
        self.expect(*_OPEN, what="左括号“（”，其中用“；”分隔各项条件")
        items = [self.criteria()]
        while self.take(*_ITEM):
            items.append(self.criteria())
        self.expect(*_CLOSE, what="“；”或右括号“）”")
        return self.build(start, lambda: AtLeast(int(m.group()), tuple(items)))

    def condition(self) -> Criteria:
        self.space()
        start = self.pos
        kind = self._condition_word()
        if kind == "dated":
            on = self.date()
            follows = self._condition_word()
            if follows == "size":
                return self.size(start, on)
            if follows == "holds":
                return self.holds(start, on)
            self.fail("“于 日期”之后应当是“企业规模”或“持有”", at=start)
        if kind == "size":
            return self.size(start, None)
        if kind == "holds":
            return self.holds(start, None)
        if kind == "industry":
            return self.industry()
        if kind == "district":
            self.expect("属于")
            codes = self.codes(re.compile(r"\d+"), "行政区划代码（六位数字）")
            return self.build(start, lambda: DistrictIn(tuple(c for c, _ in codes)))
        if kind in ("first", "listing", "bond"):
            return self.first(start, kind)
        if kind == "founder":
            self.expect("属于")
            return self.founder(start)
        if kind == "dishonest":
            return Dishonest()
        return self.compare(start, kind.removeprefix("fact:"))

    def _condition_word(self) -> str:
        self.space()
        word = _WORD.match(self.text, self.pos)
        if word:
            name = word.group()
            if name in catalogue().facts:
                self.pos = word.end()
                return _FACT_KINDS.get(name, f"fact:{name}")
            self.unknown_fact(name)
        found = self.take(*_condition_words())
        if found is None:
            if self.at_end() or self.text[self.pos] in _STOP or self.peek("且", "或"):
                self.fail("此处应当是一个条件（如“营业收入 ≥ 2000万元”“持有 高新技术企业”）")
            end = self.pos
            while end < len(self.text) and not (
                self.text[end].isspace() or self.text[end] in _STOP
            ):
                end += 1
            self.unknown_fact(self.text[self.pos : end])
        return _condition_words()[found]

    def unknown_fact(self, word: str) -> None:
        labels = list(_condition_words())
        close = difflib.get_close_matches(word, labels, n=3, cutoff=0.3)
        hint = f"；是否指：{'、'.join(close)}" if close else ""
        self.fail(
            f"未知的事实“{word}”（事实目录 data/facts.yaml 中没有）{hint}", self.pos, UnknownFact
        )

    def date(self) -> date:
        self.space()
        at = self.pos
        m = self.match(_DATE)
        if m is None:
            self.fail("此处应当是日期（如 2024-01-01）")
        try:
            y, mo, d = (int(p) for p in m.group().split("-"))
            return date(y, mo, d)
        except ValueError:
            self.fail(f"日期“{m.group()}”不存在", at=at, kind=InvalidValue)

    def size(self, start: int, on: date | None) -> Criteria:
        words = {word: size for size, word in _SIZE_WORDS.items()}

        def one() -> SizeClass:
            word = self.expect(*words, what="企业规模（大型、中型、小型、微型）")
            self.take("企业")
            return words[word]

        if self.take("属于"):
            sizes = [one()]
            while self.take(*_LIST):
                sizes.append(one())
        else:
            op = _OPS[self.expect(*_OPS, what="“属于”或比较运算符（≤ ≥ …）")]
            pivot = one().rank
            sizes = [s for s in _RANKED if op.holds(s.rank, pivot)]
            if not sizes:
                self.fail("这一比较不包含任何企业规模", at=start, kind=InvalidValue)
        return self.build(start, lambda: SizeIn(tuple(sizes), on))

    def holds(self, start: int, on: date | None) -> Criteria:
        key = self.qualification()
        return self.build(start, lambda: Holds(key, on))

    def qualification(self) -> str:
        found = self.take(*_qualification_words())
        if found is None:
            listed = "、".join(q.label for q in catalogue().qualifications.values())
            self.fail(f"此处应当是资质名称（{listed}）", kind=UnknownFact)
        return _qualification_words()[found]

    def industry(self) -> Criteria:
        if self.take("以"):
            self.space()
            at = self.pos
            m = self.match(_CODE)
            if m is None:
                self.fail("此处应当是行业代码（如 C、39）")
            self.expect("开头")
            codes = [(m.group(), at)]
        else:
            self.expect("属于", what="“属于”或“以 … 开头”")
            codes = self.codes(_CODE, "行业代码（如 C、39、3911）")
        for code, at in codes:
            problem = industry_problem(code)
            if problem:
                self.fail(problem, at=at, kind=InvalidValue)
        return IndustryIn(tuple(c for c, _ in codes))

    def codes(self, pattern: re.Pattern[str], what: str) -> list[tuple[str, int]]:
        out = []
        while True:
            self.space()
            at = self.pos
            m = self.match(pattern)
            if m is None:
                self.fail(f"此处应当是{what}")
            out.append((m.group(), at))
            if not self.take(*_LIST):
                return out

    def first(self, start: int, kind: str) -> Criteria:
        event = {"listing": LISTING, "bond": BOND}.get(kind) or self.qualification()
        self.expect("在", what="“在 日期 至 日期 期间”")
        begin = self.date()
        self.expect("至")
        end = self.date()
        self.expect("期间")
        return self.build(start, lambda: FirstTime(event, begin, end))

    def founder(self, start: int) -> Criteria:
        words = {c.label: c for c in FounderCategory}
        listed = "、".join(words)
        categories = [words[self.expect(*words, what=f"创办人类别（{listed}）")]]
        while self.take(*_LIST):
            categories.append(words[self.expect(*words, what=f"创办人类别（{listed}）")])
        return self.build(start, lambda: Founder(tuple(categories)))

    def compare(self, start: int, name: str) -> Criteria:
        item = catalogue().facts[name]
        if item.type is FactType.BOOLEAN:
            return _boolean_fact(name)
        self.space()
        op_at = self.pos
        op = _OPS.get(self.take(*_OPS) or "")
        problem = compare_problem(item, date.min if item.type is FactType.DATE else Decimal(0))
        if problem:
            self.fail(problem, at=start, kind=TypeMismatch)
        if op is None:
            self.pos = op_at
            self.fail(f"“{item.label}”之后应当是比较运算符（= ≠ < ≤ > ≥）")
        self.space()
        at = self.pos
        value: Decimal | date
        if _DATE.match(self.text, self.pos):
            value = self.date()
        else:
            m = self.match(_NUMBER)
            if m is None:
                self.fail("此处应当是数字或日期（如 2000万元、2024-01-01）")
            value = Decimal(m.group())
            unit = self.take(*_UNITS)
            wanted = item.unit or ""
            if unit is not None and unit.replace("％", "%") != wanted:
                expected = f"“{wanted}”" if wanted else "不带单位"
                self.fail(
                    f"“{item.label}”的单位是{expected}，而不是“{unit}”",
                    at=self.pos - len(unit),
                    kind=TypeMismatch,
                )
        problem = compare_problem(item, value)
        if problem:
            self.fail(problem, at=at, kind=TypeMismatch)
        return self.build(start, lambda: Compare(name, op, value))


_FACT_KINDS = {"size_class": "size", "industry": "industry", "district": "district"}


def _boolean_fact(name: str) -> Criteria:
    if name == "dishonest":
        return Dishonest()
    return Founder((FounderCategory(name.removeprefix("founder_")),))
