"""Size classes of a whole population at once, as :func:`huiqi.rules.size.classify_size` gives
them one by one: 《中小企业划型标准规定》第四条 with the mapping and the tier rule of
《统计上大中小微型企业划分办法（2017）》 — the tiers tested from large down, the first whose every
lower bound is met is the size, short of every tier is micro, and a missing indicator that would
decide leaves the size unknown. Used for the summaries of generated registries.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from huiqi.rules.industries import industries
from huiqi.rules.size import TIERS, Indicator, SizeClass, standard_on

UNKNOWN = "unknown"
"""A deciding indicator is missing, or the industry code is not a code of the classification
fine enough to place."""
NOT_COVERED = "not_covered"
"""The size standard does not apply to the industry (finance, railways …)."""


def size_classes(population: pl.DataFrame, on: date) -> pl.Series:
    """The size class of each enterprise (``large`` … ``micro``); NULL where it cannot be
    decided or the standard does not cover the industry."""
    return _classified(population, on).get_column("size_class")


def size_mix(population: pl.DataFrame, on: date) -> dict[str, int]:
    """How many enterprises of each size class, with :data:`UNKNOWN` and :data:`NOT_COVERED`."""
    status = _classified(population, on).get_column("status")
    counts = dict.fromkeys([*(s.value for s in SizeClass), UNKNOWN, NOT_COVERED], 0)
    counts.update(dict(status.value_counts().iter_rows()))
    return counts


def _classified(population: pl.DataFrame, on: date) -> pl.DataFrame:
    """``size_class`` (NULL where undecided) and ``status`` (the size class, or why not)."""
    bounds = _bounds(tuple(population.get_column("industry").unique().drop_nulls()), on)
    frame = population.select("industry", *(i.value for i in Indicator)).join(
        bounds, on="industry", how="left"
    )
    decided = pl.lit(SizeClass.MICRO.value)
    for tier in reversed(TIERS):  # built inside out, so that large is tested first
        met = pl.all_horizontal(
            pl.when(pl.col(f"_{tier.value}_{i.value}").is_null())
            .then(True)
            .otherwise(pl.col(i.value) >= pl.col(f"_{tier.value}_{i.value}"))
            for i in Indicator
        )
        decided = (
            pl.when(met)
            .then(pl.lit(tier.value))
            .when(met.is_null())
            .then(pl.lit(None, dtype=pl.String))
            .otherwise(decided)
        )
    size_class = pl.when(pl.col("_placed")).then(decided)
    return frame.select(
        size_class.alias("size_class"),
        pl.when(pl.col("_not_covered"))
        .then(pl.lit(NOT_COVERED))
        .otherwise(size_class.fill_null(UNKNOWN))
        .alias("status"),
    )


def _bounds(codes: tuple[str, ...], on: date) -> pl.DataFrame:
    """Per industry code: whether the standard places it, refuses it, and its row's bounds."""
    standard = standard_on(on)
    rows = []
    for code in codes:
        key = code.strip().upper()
        placement = standard.placements.get(key) if key in industries() else None
        row: dict[str, object] = {
            "industry": code,
            "_placed": placement is not None and placement.group is not None,
            "_not_covered": placement is not None and placement.group is None,
        }
        for tier in TIERS:
            for i in Indicator:
                bound = None
                if placement is not None and placement.group is not None:
                    bound = placement.group.bounds[tier].get(i)
                row[f"_{tier.value}_{i.value}"] = None if bound is None else float(bound)
        rows.append(row)
    schema = {"industry": pl.String, "_placed": pl.Boolean, "_not_covered": pl.Boolean}
    schema |= {f"_{t.value}_{i.value}": pl.Float64 for t in TIERS for i in Indicator}
    return pl.DataFrame(rows, schema=schema)
