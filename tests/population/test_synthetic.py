"""The synthetic registry: valid and unique 统一社会信用代码, reproducible from the seed,
realistic mixes of size, industry and district, consistent qualifications, some unknowns."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import polars as pl
import pytest
from stdnum.cn import uscc as stdnum_uscc

from huiqi.errors import UserError
from huiqi.population import CITIES, PopulationError, UnknownCity, column_names, generate
from huiqi.population.cities import city
from huiqi.rules.errors import IndustryNotCovered
from huiqi.rules.industries import ancestors, industries
from huiqi.rules.size import SizeClass, SizeFacts, classify_size

from .conftest import ON

VALIDITY = {
    "high_tech": 3,
    "tech_sme": 1,
    "innovative_sme": 3,
    "zjtx": 3,
    "little_giant": 3,
    "single_champion": 3,
}
SME_ONLY = ("tech_sme", "innovative_sme", "zjtx", "little_giant")


def _gb11714_check(body: str) -> str:
    """The organisation code check character, written out as GB 11714-1997 states it."""
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def _size(row: dict) -> SizeClass | str | None:
    """classify_size of one row: the class, None when undecided, "not covered"."""
    facts = SizeFacts(
        row["industry"],
        row["employees"],
        None if row["revenue"] is None else Decimal(str(row["revenue"])),
        None if row["total_assets"] is None else Decimal(str(row["total_assets"])),
    )
    try:
        return classify_size(facts, ON).size
    except IndustryNotCovered:
        return "not covered"


def test_every_uscc_is_valid_unique_and_of_its_district(population):
    codes = population.get_column("uscc").to_list()
    assert all(stdnum_uscc.is_valid(code) for code in codes)
    assert len(set(codes)) == len(codes)
    for code, district, founded in population.select("uscc", "district", "founded").iter_rows():
        assert code[:2] == "91"  # 工商 (market regulation), enterprise
        assert code[2:8] == district
        assert code[16] == _gb11714_check(code[8:16])
        assert code[8:10] == "MA" if founded >= date(2015, 10, 1) else code[8:16].isdigit()


def test_same_seed_same_registry_and_another_seed_another():
    first = generate(3_000, seed=11)
    assert first.equals(generate(3_000, seed=11))
    other = generate(3_000, seed=12)
    assert not first.equals(other)
    assert not set(first.get_column("uscc")) & set(other.get_column("uscc"))


def test_columns_are_the_catalogue_stored_facts(population):
    assert tuple(population.columns) == column_names()
    assert population.height == 20_000
    assert population.get_column("year").unique().to_list() == [2025]


def test_size_mix_by_classify_size(population):
    sizes = Counter(_size(row) for row in population.iter_rows(named=True))
    decided = sum(sizes[s] for s in SizeClass)
    share = {s: sizes[s] / decided for s in SizeClass}
    assert 0.77 <= share[SizeClass.MICRO] <= 0.83
    assert 0.13 <= share[SizeClass.SMALL] <= 0.17
    assert 0.03 <= share[SizeClass.MEDIUM] <= 0.05
    assert 0.006 <= share[SizeClass.LARGE] <= 0.014
    assert 0.005 <= sizes[None] / population.height <= 0.05  # a deciding indicator unknown
    assert 0.003 <= sizes["not covered"] / population.height <= 0.02  # finance


@pytest.mark.parametrize(
    ("column", "low", "high"),
    [
        ("total_assets", 0.05, 0.10),
        ("revenue", 0.01, 0.05),
        ("employees", 0.005, 0.03),
        ("rd_expense", 0.05, 0.12),
        ("tax_paid", 0.02, 0.07),
        ("founder_graduate", 0.25, 0.45),
        ("founder_returnee", 0.25, 0.45),
        ("founder_veteran", 0.01, 0.06),
        ("uscc", 0.0, 0.0),
        ("founded", 0.0, 0.0),
        ("dishonest", 0.0, 0.0),
    ],
)
def test_unknown_shares(population, column, low, high):
    assert low <= population.get_column(column).null_count() / population.height <= high


def test_industries_are_classes_weighted_like_a_city_register(population):
    codes = population.get_column("industry")
    assert all(industries()[c].level == "class" for c in codes.unique())
    sections = Counter(ancestors(c)[-1].code for c in codes)
    share = {s: n / population.height for s, n in sections.items()}
    assert sections.most_common(1)[0][0] == "F"
    assert 0.25 <= share["F"] <= 0.36
    assert 0.10 <= share["C"] <= 0.19
    assert 0.09 <= share["L"] <= 0.17
    assert {"A", "E", "H", "I", "K", "M", "J"} <= set(sections)
    assert not {"S", "T"} & set(sections)
    assert not any(c.startswith("53") or c == "7040" for c in codes.unique())


def test_districts_of_changchun_and_more_farming_in_the_counties(population):
    changchun = city("220100")
    assert set(population.get_column("district")) == {d.code for d in changchun.districts}
    rural = {d.code for d in changchun.districts if d.rural}
    farming = population.with_columns(
        pl.col("industry").str.slice(0, 2).cast(pl.Int32).is_between(1, 5).alias("farming"),
        pl.col("district").is_in(list(rural)).alias("rural"),
    )
    by_area = dict(farming.group_by("rural").agg(pl.col("farming").mean()).iter_rows())
    assert by_area[True] > 2 * by_area[False]


def test_indicators_are_plausible_and_correlated(population):
    frame = population.drop_nulls(["employees", "revenue", "total_assets"])
    assert frame.get_column("employees").min() >= 1
    assert frame.get_column("revenue").min() > 0
    assert frame.get_column("employees").median() <= 10
    correlation = frame.select(
        pl.corr("employees", "revenue", method="spearman"),
        pl.corr("revenue", "total_assets", method="spearman").alias("assets"),
    ).row(0)
    assert all(value > 0.5 for value in correlation)
    rounded = frame.get_column("revenue") * 100
    assert (rounded - rounded.round()).abs().max() < 1e-6  # to 0.01 万元


def test_founding_dates_and_rare_events(population):
    founded = population.get_column("founded")
    assert founded.min() >= date(1950, 1, 1)
    assert founded.max() <= ON
    for event, years in (("listed_on", 3), ("first_bond_on", 2)):
        happened = population.filter(pl.col(event).is_not_null())
        assert 0 < happened.height < 0.005 * population.height
        assert all(
            when <= ON and when >= started.replace(year=started.year + years) - timedelta(1)
            for when, started in happened.select(event, "founded").iter_rows()
        )
    assert 0.003 <= population.get_column("dishonest").mean() <= 0.015


def test_names_are_unique_companies_of_the_city(population):
    names = population.get_column("name")
    assert names.n_unique() == population.height
    assert names.str.ends_with("公司").all()
    assert names.str.contains("长春|吉林|农安|榆树|德惠|公主岭").all()


def test_qualifications_hold_their_invariants(large_population):
    frame = large_population
    held = {}
    for key, years in VALIDITY.items():
        start, end, first = f"{key}_from", f"{key}_to", f"{key}_first"
        nulls = frame.select(
            pl.col(start).is_null(), pl.col(end).is_null(), pl.col(first).is_null()
        )
        assert (
            nulls.select(pl.all_horizontal(pl.all()) | ~pl.any_horizontal(pl.all()))
            .to_series()
            .all()
        )
        holders = frame.filter(pl.col(start).is_not_null())
        held[key] = holders.height
        for row in holders.iter_rows(named=True):
            assert row["founded"] < row[first] <= row[start] <= row[end]
            assert row[start] <= ON
            assert row[end] == row[start].replace(year=row[start].year + years) - timedelta(1)
            if key in SME_ONLY:
                assert _size(row) in (SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO, None)
        if key == "single_champion":
            assert (
                holders.get_column("industry")
                .map_elements(lambda c: ancestors(c)[-1].code, return_dtype=pl.String)
                .eq("C")
                .all()
            )
    assert all(count > 0 for count in held.values())
    assert held["high_tech"] > held["innovative_sme"] > held["zjtx"] > held["little_giant"]
    assert held["tech_sme"] > held["zjtx"]
    assert held["little_giant"] + held["single_champion"] < 0.002 * frame.height

    giants = frame.filter(pl.col("little_giant_first").is_not_null())
    assert (giants.get_column("zjtx_first") < giants.get_column("little_giant_first")).all()
    expired = frame.filter(pl.col("high_tech_to") < ON).height
    assert 0 < expired < held["high_tech"] / 2  # some let their certificate lapse


def test_another_city_and_year():
    shenzhen = generate(2_000, seed=5, city="440300", year=2024)
    districts = {d.code for d in CITIES["440300"].districts}
    assert set(shenzhen.get_column("district")) <= districts
    assert shenzhen.get_column("uscc").str.slice(2, 4).eq("4403").all()
    assert shenzhen.get_column("founded").max() <= date(2024, 12, 31)
    assert shenzhen.get_column("name").str.contains("深圳|广东").all()


def test_titles_not_yet_awarded_in_an_early_year():
    early = generate(3_000, seed=2, year=2012)
    assert early.get_column("founded").max() <= date(2012, 12, 31)
    assert early.get_column("high_tech_from").count() > 0  # awarded since 2008
    for key in ("zjtx", "innovative_sme", "little_giant", "tech_sme", "single_champion"):
        assert early.get_column(f"{key}_from").count() == 0


def test_zero_enterprises_gives_the_empty_table():
    empty = generate(0, seed=1)
    assert empty.height == 0
    assert tuple(empty.columns) == column_names()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n": -1, "seed": 1}, "企业数应当是非负整数"),
        ({"n": 10, "seed": -3}, "随机种子应当是非负整数"),
        ({"n": 10, "seed": 1, "year": 1800}, "财务数据年度"),
        ({"n": 10, "seed": 1, "on": date(2024, 5, 1)}, "不能早于财务数据年度"),
    ],
)
def test_bad_parameters(arguments, message):
    with pytest.raises(PopulationError, match=message) as caught:
        generate(**arguments)
    assert isinstance(caught.value, UserError)


def test_unknown_city_lists_the_available_ones():
    with pytest.raises(UnknownCity, match="220100 长春市、440300 深圳市"):
        generate(10, seed=1, city="110000")
