"""Size classes of a whole population agree with classify_size enterprise by enterprise,
unknowns and industries outside the standard included."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from huiqi.population import NOT_COVERED, UNKNOWN, size_classes, size_mix
from huiqi.rules.errors import IndustryNotCovered
from huiqi.rules.size import SizeFacts, classify_size

from .conftest import ON


def _one_by_one(row: dict) -> tuple[str | None, bool]:
    facts = SizeFacts(
        row["industry"],
        row["employees"],
        None if row["revenue"] is None else Decimal(str(row["revenue"])),
        None if row["total_assets"] is None else Decimal(str(row["total_assets"])),
    )
    try:
        size = classify_size(facts, ON).size
    except IndustryNotCovered:
        return None, True
    return (None if size is None else size.value), False


def test_population_sizes_equal_classify_size(population):
    expected = [_one_by_one(row) for row in population.iter_rows(named=True)]
    assert size_classes(population, ON).to_list() == [size for size, _ in expected]
    mix = size_mix(population, ON)
    assert mix[NOT_COVERED] == sum(covered for _, covered in expected)
    assert mix[UNKNOWN] == sum(size is None and not covered for size, covered in expected)
    assert sum(mix.values()) == population.height


def test_boundaries_and_unknowns():
    frame = pl.DataFrame(
        {
            "industry": ["3911", "3911", "3911", "3911", "6610", "4710", "G", "9999"],
            "employees": [1000, 999, 20, None, 5, None, 5, 5],
            "revenue": [40000.0, 40000.0, 300.0, 100.0, 10.0, 7000.0, 10.0, 1.0],
            "total_assets": [None, None, None, None, None, None, None, None],
        },
        schema_overrides={"total_assets": pl.Float64},
    )
    assert size_classes(frame, ON).to_list() == [
        "large",  # every bound of the top tier met
        "medium",  # employees one short of large
        "small",  # exactly the small bounds
        "micro",  # revenue alone under the small bound decides
        None,  # finance: not covered
        None,  # construction needs total assets
        None,  # a section is too coarse to place
        None,  # no such code
    ]
    classifiable = frame.head(6).iter_rows(named=True)  # classify_size refuses the last two
    assert size_classes(frame, ON).to_list()[:6] == [_one_by_one(row)[0] for row in classifiable]
    assert size_mix(frame, ON) == {
        "large": 1,
        "medium": 1,
        "small": 1,
        "micro": 1,
        UNKNOWN: 3,
        NOT_COVERED: 1,
    }
