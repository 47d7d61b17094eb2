"""Which values of one fact a criteria tree admits: the sizes and industries a policy is for.

长春 条例 第三十五条第二款 asks for policies pushed by industry and size, and the policy list
is filtered the same way. A policy's size classes and industry codes are not written apart from
its criteria: they follow from them. :func:`admitted` reads them off the tree — a value is
admitted when some enterprise with that value could meet the criteria, whatever its other
facts. The answer errs on the side of admitting (a value it leaves out can never meet the
criteria), so a filter built on it never hides a policy an enterprise could get.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce
from itertools import combinations

from huiqi.rules.industries import ancestors
from huiqi.rules.size import SizeClass

from .nodes import And, AtLeast, Criteria, IndustryIn, Not, Or, SizeIn

ADMITTED_FACTS = ("size_class", "industry")
"""The facts :func:`admitted` answers for."""

_Values = frozenset[str] | None
"""A set of values; None is every value (unconstrained)."""

_SIZES = frozenset(s.value for s in SizeClass)


def admitted(criteria: Criteria, fact: str) -> tuple[str, ...] | None:
    """The values of ``fact`` the criteria admit, or None when they admit every value.

    ``size_class``: the size classes (``large`` … ``micro``, largest first) an enterprise may
    have and still meet the criteria — ``企业规模 ≤ 中型`` admits medium, small and micro.
    ``industry``: the GB/T 4754-2017 codes under which the admitted industries lie, without
    a code that another one covers — ``所属行业 属于 C 且 （所属行业 属于 39 或 …）`` gives 39.
    A condition on other facts admits every value; 不是 and 至少满足 N 项 are followed
    exactly for sizes and conservatively for industries (不是 所属行业 属于 C admits all).
    An empty tuple means no value can meet the criteria."""
    if fact == "size_class":
        found = _Walk(_size_leaf, _size_meet, _size_join, lambda v: v).true(criteria)
        if found is None or found == _SIZES:
            return None
        return tuple(s.value for s in SizeClass if s.value in found)
    if fact == "industry":
        found = _Walk(_industry_leaf, _industry_meet, _industry_join, _covering).true(criteria)
        return None if found is None else tuple(sorted(found, key=_code_order))
    raise ValueError(f"只能求出 {'、'.join(ADMITTED_FACTS)} 的取值范围，而不是“{fact}”")


class _Walk:
    """Two sets per node: the values with which it can be true, and with which it can be
    false (不是 swaps them). ``leaf`` gives both for a condition (None, None when the
    condition reads other facts)."""

    def __init__(
        self,
        leaf: Callable[[Criteria], tuple[_Values, _Values]],
        meet: Callable[[_Values, _Values], _Values],
        join: Callable[[_Values, _Values], _Values],
        tidy: Callable[[_Values], _Values],
    ):
        self.leaf, self.meet, self.join, self.tidy = leaf, meet, join, tidy

    def true(self, node: Criteria) -> _Values:
        return self.tidy(self.both(node)[0])

    def both(self, node: Criteria) -> tuple[_Values, _Values]:
        if isinstance(node, Not):
            true, false = self.both(node.item)
            return false, true
        if isinstance(node, And | Or | AtLeast):
            pairs = [self.both(item) for item in node.items]
            trues, falses = [p[0] for p in pairs], [p[1] for p in pairs]
            if isinstance(node, And):
                return self._all(trues), self._any(falses)
            if isinstance(node, Or):
                return self._any(trues), self._all(falses)
            return self._some(trues, node.n), self._some(falses, len(pairs) - node.n + 1)
        return self.leaf(node)

    def _all(self, sets: Iterable[_Values]) -> _Values:
        return reduce(self.meet, sets, None)

    def _any(self, sets: Iterable[_Values]) -> _Values:
        listed = list(sets)
        return reduce(self.join, listed[1:], listed[0])

    def _some(self, sets: list[_Values], n: int) -> _Values:
        """Values in at least ``n`` of the sets."""
        return self._any(self._all(chosen) for chosen in combinations(sets, n))


def _size_leaf(node: Criteria) -> tuple[_Values, _Values]:
    if isinstance(node, SizeIn):
        sizes = frozenset(s.value for s in node.sizes)
        return sizes, _SIZES - sizes
    return None, None


def _size_meet(a: _Values, b: _Values) -> _Values:
    return b if a is None else a if b is None else a & b


def _size_join(a: _Values, b: _Values) -> _Values:
    return None if a is None or b is None else a | b


def _industry_leaf(node: Criteria) -> tuple[_Values, _Values]:
    if isinstance(node, IndustryIn):
        return frozenset(node.codes), None
    return None, None


def _covers(code: str, other: str) -> bool:
    """``code`` is ``other`` or one of its parents (C covers 39 and 3911)."""
    return any(a.code == code for a in ancestors(other))


def _industry_meet(a: _Values, b: _Values) -> _Values:
    if a is None:
        return b
    if b is None:
        return a
    return frozenset(x for x in a if any(_covers(y, x) for y in b)) | frozenset(
        y for y in b if any(_covers(x, y) for x in a)
    )


def _industry_join(a: _Values, b: _Values) -> _Values:
    return None if a is None or b is None else a | b


def _covering(codes: _Values) -> _Values:
    """The codes without those another code of the set covers."""
    if codes is None:
        return None
    return frozenset(c for c in codes if not any(o != c and _covers(o, c) for o in codes))


def _code_order(code: str) -> tuple[str, str]:
    """Sections (A–T) by letter, then numeric codes by their section and digits."""
    chain = ancestors(code)
    return (chain[-1].code, code)
