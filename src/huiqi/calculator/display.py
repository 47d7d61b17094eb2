"""A size classification laid out for the pages (the self-test and the enterprise page):
each indicator against each tier's lower bound, as :func:`huiqi.rules.size.classify_size`
compared them, with the steps and the citations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huiqi.rules.size import TIERS, Indicator, SizeClass, SizeResult


@dataclass(frozen=True)
class Cell:
    bound: str
    met: bool | None
    """None when the indicator was missing or the tier was not tested."""
    tested: bool


def size_context(result: SizeResult) -> dict[str, Any]:
    """What the size templates show: the indicators given, the group's lower bounds per tier
    with the comparisons made, the steps, the decisive indicators and the citations."""
    group = result.group
    applied = {(t.size, t.indicator): t for t in result.thresholds}
    grid = []
    for tier in TIERS:
        cells = []
        for indicator in group.indicators:
            threshold = applied.get((tier, indicator))
            cells.append(
                Cell(
                    bound=indicator.amount(group.bounds[tier][indicator]),
                    met=threshold.met if threshold else None,
                    tested=threshold is not None,
                )
            )
        grid.append({"tier": tier.label, "cells": cells, "decided": tier is result.size})
    return {
        "result": result,
        "size_label": result.size.label if result.size else None,
        "is_sme": result.size.is_sme if result.size else None,
        "micro": result.size is SizeClass.MICRO,
        "indicators": [
            {"label": f"{i.label}（{i.unit}）", "value": _value(result, i)}
            for i in group.indicators
        ],
        "grid": grid,
        "decisive": "、".join(i.label for i in result.decisive),
        "ignored": [f"{i.label}不参与{group.name}的划型" for i in result.ignored],
    }


def _value(result: SizeResult, indicator: Indicator) -> str | None:
    value = result.facts.value(indicator)
    return None if value is None else indicator.amount(value)
