"""A criteria tree as flat arrays, for explaining it: which conditions sit under 不是, and
which decide the result.

A combination's result is decided by those of its items that have the same value (the failed
items of a failed 且, the passed items of a passed 或, the unknown items of an unknown one); a
不是 passes its item's value on, inverted. So for a not-eligible result the decisive
conditions are those that fail it, for an eligible one those that make it hold, and for a
possibly eligible one the unknowns that could change it (an unknown beside a passed 或 branch
is not).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .nodes import And, AtLeast, Criteria, Not, Or

_LEAF, _NOT, _COUNT = 0, 1, 2


@dataclass(frozen=True)
class Shape:
    """A criteria tree as flat arrays in pre-order (a node before its items), so that its
    values are computed bottom-up by one loop over the nodes in reverse and the decisive
    conditions top-down by one loop forward. A 且, 或 or 至少满足 N 项 node holds when
    ``need`` of its items do: all of them, one, N."""

    kinds: tuple[int, ...]
    items: tuple[tuple[int, ...], ...]
    need: tuple[int, ...]
    leaf: tuple[int, ...]
    """For a condition node, its index among the conditions; -1 for the others."""
    nodes: tuple[int, ...]
    """For each condition, its node."""
    negated: tuple[bool, ...]
    """For each condition, whether it sits under an odd number of 不是."""

    def values(self, leaves: list[bool | None]) -> list[bool | None]:
        """Every node's value (Kleene logic) from the conditions' values; the root first."""
        kinds, items, need = self.kinds, self.items, self.need
        out: list[bool | None] = [None] * len(kinds)
        for i in range(len(kinds) - 1, -1, -1):
            kind = kinds[i]
            if kind == _LEAF:
                out[i] = leaves[self.leaf[i]]
            elif kind == _NOT:
                value = out[items[i][0]]
                out[i] = None if value is None else not value
            else:
                true = unknown = 0
                for j in items[i]:
                    value = out[j]
                    if value is True:
                        true += 1
                    elif value is None:
                        unknown += 1
                out[i] = True if true >= need[i] else False if true + unknown < need[i] else None
        return out

    def decisive(self, values: list[bool | None]) -> list[bool]:
        """For each condition, whether it decides the result (see the module docstring), from
        the values of :meth:`values`."""
        kinds, items = self.kinds, self.items
        decisive = [False] * len(kinds)
        decisive[0] = True
        for i, kind in enumerate(kinds):
            if kind != _LEAF and decisive[i]:
                for j in items[i]:
                    decisive[j] = kind == _NOT or values[j] is values[i]
        return [decisive[node] for node in self.nodes]


@lru_cache(maxsize=4096)
def shape(criteria: Criteria) -> Shape:
    """The flat form of ``criteria`` (cached)."""
    kinds: list[int] = []
    items: list[tuple[int, ...]] = []
    need: list[int] = []
    leaf: list[int] = []
    nodes: list[int] = []
    negated: list[bool] = []

    def add(node: Criteria, inverted: bool) -> int:
        at = len(kinds)
        kinds.append(_LEAF)
        items.append(())
        need.append(0)
        leaf.append(-1)
        if isinstance(node, Not):
            kinds[at] = _NOT
            items[at] = (add(node.item, not inverted),)
        elif isinstance(node, And | Or | AtLeast):
            kinds[at] = _COUNT
            items[at] = tuple(add(item, inverted) for item in node.items)
            count = len(node.items)
            need[at] = count if isinstance(node, And) else 1 if isinstance(node, Or) else node.n
        else:
            leaf[at] = len(nodes)
            nodes.append(at)
            negated.append(inverted)
        return at

    add(criteria, False)
    return Shape(tuple(kinds), tuple(items), tuple(need), tuple(leaf), tuple(nodes), tuple(negated))
