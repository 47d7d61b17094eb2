"""A synthetic registry of enterprises for demos, tests and benchmarks — not real data.

``generate(20_000, seed=1)`` gives a frame with the population's columns (:mod:`.schema`) for
长春 (or another city of :mod:`.cities`), reproducible from the seed and vectorised with numpy
(a million rows in seconds). What it models, all illustrative:

- industries: 4-digit GB/T 4754-2017 classes, weighted by section as in a Chinese city's
  register (wholesale and retail, manufacturing, leasing and business services first), more
  agriculture in the rural counties; finance (J) is included although the size standard does
  not cover it, railways (53) and 自有房地产经营 (704) are not;
- size: a class drawn as micro 80 %, small 15 %, medium 4 %, large 1 %, then employees, revenue
  and total assets drawn inside that class's band of the size standard in force on ``on``
  (《中小企业划型标准规定》), correlated, sometimes with one indicator above the band as in real
  registers; the indicators the industry's row does not use follow from industry ratios;
- founding dates (larger enterprises are older) and 统一社会信用代码 of the district;
- qualifications with their validity: 高新技术企业, 创新型中小企业, 专精特新中小企业, “小巨人”
  and 单项冠军 three years, 科技型中小企业 one year, rarer the higher the title, concentrated in
  manufacturing and technology, SME titles only for SMEs; each row holds the latest
  certificate, which some enterprises let lapse;
- R&D spending, tax, founders, 失信, first listings and bond issues (rare);
- missing facts: about 7 % of total assets, a few revenues and headcounts, many self-declared
  founder facts. ``listed_on`` and ``first_bond_on`` are NULL when the event did not happen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from statistics import NormalDist

import numpy as np
import polars as pl

from huiqi.rules.industries import ancestors, industries
from huiqi.rules.size import TIERS, Indicator, SizeClass, standard_on, standards

from ._names import enterprise_names
from .cities import City
from .cities import city as city_named
from .errors import PopulationError
from .schema import polars_schema
from .uscc import organization_bodies, uscc_codes

SIZE_MIX = {
    SizeClass.MICRO: 0.80,
    SizeClass.SMALL: 0.15,
    SizeClass.MEDIUM: 0.04,
    SizeClass.LARGE: 0.01,
}
"""Target share of each size class."""

MISSING = {
    "employees": 0.015,
    "revenue": 0.025,
    "total_assets": 0.07,
    "rd_expense": 0.08,
    "tax_paid": 0.04,
    "founder_graduate": 0.35,
    "founder_veteran": 0.03,
    "founder_returnee": 0.35,
    "founder_unemployed": 0.03,
    "founder_disabled": 0.03,
}
"""Share of NULL (unknown) per column; self-declared founder facts are often unknown."""

_USCC_SINCE = np.datetime64("2015-10-01")  # GB 32100-2015 in force
_EARLIEST = np.datetime64("1950-01-01")


@dataclass(frozen=True)
class _Sector:
    """A GB/T 4754 section: its weight among a city's enterprises (rural factor for the
    counties), revenue per employee (万元), total assets per 万元 of revenue, tax per 万元 of
    revenue and technology intensity (0–1, scales R&D and the technology titles)."""

    weight: float
    rural: float
    revenue_per_employee: float
    assets_per_revenue: float
    tax_rate: float
    tech: float


_SECTORS = {
    "A": _Sector(2.0, 5.0, 30, 1.5, 0.01, 0.1),
    "B": _Sector(0.3, 2.0, 80, 2.0, 0.06, 0.2),
    "C": _Sector(14.0, 1.2, 70, 1.0, 0.04, 1.0),
    "D": _Sector(0.8, 1.0, 150, 3.0, 0.05, 0.3),
    "E": _Sector(6.0, 1.0, 60, 1.2, 0.03, 0.1),
    "F": _Sector(30.0, 1.0, 150, 0.5, 0.015, 0.05),
    "G": _Sector(4.0, 1.0, 50, 1.2, 0.03, 0.05),
    "H": _Sector(4.0, 0.8, 15, 0.8, 0.02, 0.02),
    "I": _Sector(6.0, 0.4, 40, 1.0, 0.04, 1.0),
    "J": _Sector(1.0, 0.5, 100, 8.0, 0.08, 0.02),
    "K": _Sector(3.5, 0.6, 120, 4.0, 0.08, 0.02),
    "L": _Sector(13.0, 0.6, 40, 2.0, 0.04, 0.1),
    "M": _Sector(7.0, 0.5, 35, 1.0, 0.04, 1.0),
    "N": _Sector(1.2, 1.0, 30, 2.5, 0.03, 0.3),
    "O": _Sector(3.0, 1.0, 15, 0.8, 0.02, 0.02),
    "P": _Sector(1.0, 0.8, 15, 1.2, 0.02, 0.02),
    "Q": _Sector(0.7, 0.8, 25, 1.2, 0.02, 0.2),
    "R": _Sector(2.5, 0.6, 25, 1.5, 0.03, 0.1),
}

# Weight of a division within its section (default 1), and of a class within its division
# (default 1; 0 leaves it out); a division's weight is shared among its classes.
_DIVISIONS = {
    **{"13": 3, "14": 2, "15": 1, "17": 0.5, "18": 1, "19": 0.3, "22": 0.5, "24": 0.5},
    **{"25": 0.2, "26": 2, "27": 1.5, "28": 0.2, "29": 2, "30": 2.5, "31": 0.5, "32": 0.5},
    **{"33": 3, "34": 3, "35": 2.5, "36": 4, "38": 2, "39": 1.5, "40": 0.8, "41": 0.5},
    **{"42": 0.3, "43": 0.5, "47": 3, "48": 2, "49": 2, "50": 3, "51": 5.5, "52": 4.5},
    **{"53": 0, "54": 6, "55": 0.3, "56": 0.2, "57": 0.1, "58": 1.5, "60": 0.8, "61": 1},
    **{"62": 4, "63": 0.6, "64": 2, "65": 6, "66": 0.3, "67": 0.5, "68": 0.3, "69": 2},
    **{"71": 1, "72": 6, "74": 3, "75": 5},
}
_CLASSES = {"7010": 3, "7020": 3, "7030": 2, "7040": 0, "7090": 0.5}

# By size rank (micro, small, medium, large), the order of SIZE_MIX:
_BAND_SHAPE = np.array([(1.0, 2.2), (1.0, 1.5), (1.0, 1.5), (1.0, 3.0)])
"""Beta(a, b) of the position inside a size band: most enterprises sit near its floor."""
_MEAN_AGE = np.array([5.0, 9.0, 13.0, 19.0])
"""Mean age in years."""
_FLOOR = {Indicator.EMPLOYEES: 1.0, Indicator.REVENUE: 0.5, Indicator.TOTAL_ASSETS: 0.5}
_LARGE_SPAN = 6.0  # the large band reaches six times its lower bounds
_SPILL = 0.25  # chance that an indicator outside the deciding one lies in the band above


@dataclass(frozen=True)
class _Title:
    """A qualification: validity in years, first year awarded, months of the award batches,
    chance by size (micro … large) at full technology intensity, chance of letting the latest
    certificate lapse, whether only SMEs (as the size standard classifies them) may hold it,
    and the sections it is open to (all when empty)."""

    key: str
    years: int
    since: int
    months: tuple[int, ...]
    rates: tuple[float, float, float, float]
    lapse: float
    sme_only: bool = False
    sections: frozenset[str] = frozenset()


# 高新技术企业: 《高新技术企业认定管理办法》（国科发火〔2016〕32号）第九条, three years.
# 科技型中小企业: 《科技型中小企业评价办法》（国科发政〔2017〕115号）, evaluated every year.
# 创新型中小企业, 专精特新中小企业, “小巨人”: 《优质中小企业梯度培育管理暂行办法》
# （工信部企业〔2022〕63号）, three years. 单项冠军: three years, manufacturing only.
_TITLES = (
    _Title("high_tech", 3, 2008, (10, 11, 12), (0.012, 0.08, 0.20, 0.30), 0.20),
    _Title("tech_sme", 1, 2017, (4, 6, 8), (0.03, 0.09, 0.10, 0.0), 0.30, sme_only=True),
    _Title("innovative_sme", 3, 2022, (6, 11), (0.008, 0.05, 0.10, 0.0), 0.15, sme_only=True),
    _Title("zjtx", 3, 2013, (7, 12), (0.002, 0.02, 0.08, 0.0), 0.15, sme_only=True),
    _Title("little_giant", 3, 2019, (7, 8), (0.0, 0.004, 0.05, 0.0), 0.10, sme_only=True),
    _Title(
        "single_champion", 3, 2016, (11, 12), (0.0, 0.0, 0.003, 0.03), 0.10, sections=frozenset("C")
    ),
)
_TITLE_CORRELATION = 0.8  # innovative enterprises tend to hold several titles


def generate(
    n: int, *, seed: int, city: str = "220100", year: int = 2025, on: date | None = None
) -> pl.DataFrame:
    """``n`` synthetic enterprises of ``city`` with financial data of ``year``, as registered on
    ``on`` (default: the last day of ``year``). The same arguments give the same frame."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise PopulationError(f"企业数应当是非负整数，而不是“{n}”")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise PopulationError(f"随机种子应当是非负整数，而不是“{seed}”")
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise PopulationError(f"财务数据年度应当在 1990 至 2100 之间，而不是“{year}”")
    on = date(year, 12, 31) if on is None else on
    if not isinstance(on, date) or on.year < year:
        raise PopulationError(f"名录日期“{on}”不能早于财务数据年度 {year} 年")
    place = city_named(city)
    table = _industry_table(standard_on(on).id)
    return _Generator(np.random.default_rng(seed), n, place, year, on, table).frame()


class _Generator:
    """One generation run: draws every column in a fixed order from one random generator."""

    def __init__(
        self,
        rng: np.random.Generator,
        n: int,
        city: City,
        year: int,
        on: date,
        table: _IndustryTable,
    ) -> None:
        self.rng, self.n, self.city, self.year, self.on = rng, n, city, year, on
        self.on64 = np.datetime64(on, "D")
        self.table = table

    def frame(self) -> pl.DataFrame:
        rng, n, table = self.rng, self.n, self.table
        district = _draw(rng, np.array([d.weight for d in self.city.districts]), n)
        rural = np.array([d.rural for d in self.city.districts])[district]
        industry = np.where(
            rural,
            _draw(rng, table.rural_weights, n),
            _draw(rng, table.urban_weights, n),
        )
        size = _draw(rng, np.array(list(SIZE_MIX.values())), n)
        rank = np.array([s.rank for s in SIZE_MIX])[size]  # SIZE_MIX is in rank order
        employees, revenue, assets = self._indicators(industry, rank)
        founded = self._founded(rank)
        section = table.section[industry]
        titles = self._titles(industry, rank, founded)
        rd_expense = self._rd(section, revenue, titles)
        tax_paid = self._tax(section, revenue, rank)
        founders = self._founders(rank, founded, rural)
        dishonest = rng.random(n) < 0.008
        listed_on = self._event(rank, founded, (0.0, 0.0005, 0.01, 0.05), 3, "1991-01-01")
        first_bond_on = self._event(rank, founded, (0.0, 0.001, 0.015, 0.10), 2, "2005-01-01")
        codes = self._uscc(district, founded)
        names = enterprise_names(rng, self.city, district, table.codes, industry, rank)

        columns: dict[str, object] = {
            "uscc": codes,
            "name": names,
            "year": np.full(n, self.year, dtype=np.int64),
            "industry": pl.Series(table.codes).gather(industry),
            "district": pl.Series([d.code for d in self.city.districts]).gather(district),
            "founded": founded,
            "employees": employees,
            "revenue": revenue,
            "total_assets": assets,
            "rd_expense": rd_expense,
            "tax_paid": tax_paid,
            "dishonest": dishonest,
            **founders,
            "listed_on": listed_on,
            "first_bond_on": first_bond_on,
            **titles,
        }
        series = [
            self._column(name, columns[name], dtype) for name, dtype in polars_schema().items()
        ]
        return pl.DataFrame(series)

    def _column(self, name: str, values: object, dtype: pl.DataType) -> pl.Series:
        """The column as a Series (NaT becomes NULL), with its share of unknowns."""
        column = pl.Series(name, values).cast(dtype)
        share = MISSING.get(name)
        if share:
            column = column.scatter(np.flatnonzero(self.rng.random(self.n) < share), None)
        return column

    def _indicators(
        self, industry: np.ndarray, rank: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Employees, revenue and total assets (万元, to 0.01) inside the size band of each
        enterprise's class, for the indicators its row of the standard uses; the others from
        the section's ratios."""
        rng, n, table = self.rng, self.n, self.table
        group = table.group[industry]
        lo = table.band_low[group, rank]  # (n, 3)
        hi = table.band_high[group, rank]
        used = table.used[group]
        common = rng.beta(_BAND_SHAPE[rank, 0], _BAND_SHAPE[rank, 1])
        position = np.clip(common[:, None] + rng.normal(0, 0.12, (n, 3)), 0, 0.999)
        values = _log_between(lo, hi, position)

        # one indicator keeps the enterprise in its band; another may lie in the band above
        count = used.sum(axis=1)
        anchor_pos = (rng.random(n) * count).astype(np.int64)
        anchor = np.argmax(np.cumsum(used, axis=1) > anchor_pos[:, None], axis=1)
        spill = (
            used
            & (np.arange(3)[None, :] != anchor[:, None])
            & (rank < 3)[:, None]
            & (rng.random((n, 3)) < _SPILL)
        )
        above = np.minimum(rank + 1, 3)
        lo_above = table.band_low[group, above]
        hi_above = table.band_high[group, above]
        values = np.where(
            spill, _log_between(lo_above, hi_above, rng.beta(1.0, 2.5, (n, 3))), values
        )
        floor = np.where(spill, lo_above, lo)

        sector = table.ratios[industry]
        noise = np.exp(rng.normal(0, 0.5, (n, 3)))
        employees, revenue, assets = values[:, 0], values[:, 1], values[:, 2]
        revenue = np.where(
            used[:, 1],
            revenue,
            np.where(used[:, 0], employees * sector[:, 0], assets / sector[:, 1]) * noise[:, 0],
        )
        employees = np.where(used[:, 0], employees, revenue / sector[:, 0] * noise[:, 1])
        assets = np.where(used[:, 2], assets, revenue * sector[:, 1] * noise[:, 2])

        employees = np.maximum(np.floor(employees), np.where(used[:, 0], floor[:, 0], 1.0))
        revenue = np.maximum(np.floor(revenue * 100) / 100, np.where(used[:, 1], floor[:, 1], 0.1))
        assets = np.maximum(np.floor(assets * 100) / 100, np.where(used[:, 2], floor[:, 2], 0.1))
        return employees.astype(np.int64), revenue, assets

    def _founded(self, rank: np.ndarray) -> np.ndarray:
        """Founding dates: gamma-distributed ages, longer for larger enterprises."""
        mean = _MEAN_AGE[rank]
        age_days = (self.rng.gamma(1.3, mean / 1.3) * 365.25).astype(np.int64)
        latest = min(self.on64, np.datetime64(date(self.year, 12, 31), "D"))
        return np.maximum(latest - age_days, _EARLIEST)

    def _titles(
        self, industry: np.ndarray, rank: np.ndarray, founded: np.ndarray
    ) -> dict[str, np.ndarray]:
        """``<key>_from``, ``<key>_to`` and ``<key>_first`` of every qualification."""
        rng, n = self.rng, self.n
        section = self.table.section[industry]
        covered = self.table.covered[industry]
        tech = np.array([_SECTORS[s].tech for s in self.table.sections])[section]
        common = rng.normal(size=n)
        founded_year = founded.astype("datetime64[Y]").astype(np.int64) + 1970
        out: dict[str, np.ndarray] = {}
        first_years: dict[str, np.ndarray] = {}
        for title in _TITLES:
            rate = np.array(title.rates)[rank] * tech
            if title.sme_only:
                rate = np.where(covered, rate, 0.0)
            if title.sections:
                open_to = np.array([s in title.sections for s in self.table.sections])
                rate = np.where(open_to[section], rate, 0.0)
            latent = _TITLE_CORRELATION * common + np.sqrt(1 - _TITLE_CORRELATION**2) * rng.normal(
                size=n
            )
            holder = latent < _normal_quantile(np.minimum(rate, 0.999))
            lower = np.maximum(title.since, founded_year + 1)
            if title.key == "little_giant":  # 小巨人 are chosen among 专精特新中小企业
                zjtx_year = first_years["zjtx"]
                holder &= zjtx_year > 0
                lower = np.maximum(lower, zjtx_year + 1)
            start, end, first, first_year = self._certificates(title, holder, lower)
            out[f"{title.key}_from"], out[f"{title.key}_to"] = start, end
            out[f"{title.key}_first"] = first
            first_years[title.key] = first_year
        return out

    def _certificates(
        self, title: _Title, holder: np.ndarray, lower: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Validity of the latest certificate and date first awarded (NaT where not held), and
        the year first awarded (0 where not held)."""
        rng, n, last = self.rng, self.n, self.on.year
        nat = np.datetime64("NaT", "D")
        if last < title.since:  # not awarded yet
            none = np.full(n, nat)
            return none, none, none, np.zeros(n, dtype=np.int64)
        years = np.arange(title.since, last + 1)
        months = np.array(title.months)
        days = rng.integers(0, 28, size=(len(years), len(months)))
        batches = (
            ((years[:, None] - 1970) * 12 + months[None, :] - 1).astype("datetime64[M]")
        ).astype("datetime64[D]") + days
        holder = holder & (lower <= last)
        span = np.maximum(last - lower + 1, 1)
        first_year = np.where(holder, lower + (rng.random(n) * span).astype(np.int64), title.since)
        first_batch = rng.integers(0, len(months), n)
        first = batches[first_year - title.since, first_batch]
        holder &= first <= self.on64
        cycles = (last - first_year) // title.years
        lapsed = (rng.random(n) < title.lapse) & (cycles > 0)
        cycles = np.where(lapsed, (rng.random(n) * cycles).astype(np.int64), cycles)
        batch = rng.integers(0, len(months), n)
        renewal = batches[first_year + cycles * title.years - title.since, batch]
        cycles = np.where((cycles > 0) & (renewal > self.on64), cycles - 1, cycles)
        renewal = batches[first_year + cycles * title.years - title.since, batch]
        start = np.where(cycles == 0, first, renewal)
        end = _add_years(start, title.years) - np.timedelta64(1, "D")
        return (
            np.where(holder, start, nat),
            np.where(holder, end, nat),
            np.where(holder, first, nat),
            np.where(holder, first_year, 0),
        )

    def _rd(
        self, section: np.ndarray, revenue: np.ndarray, titles: dict[str, np.ndarray]
    ) -> np.ndarray:
        """R&D spending (万元): most technology enterprises and every title holder spend some;
        title holders at least 3 % of revenue."""
        rng, n = self.rng, self.n
        tech = np.array([_SECTORS[s].tech for s in self.table.sections])[section]
        holder = np.zeros(n, dtype=bool)
        for title in _TITLES:
            holder |= ~np.isnat(titles[f"{title.key}_first"])
        spends = holder | (rng.random(n) < 0.05 + 0.5 * tech)
        ratio = np.clip(np.exp(rng.normal(np.log(0.02 * (1 + tech)), 0.6)), 0.001, 0.5)
        ratio = np.where(holder, np.maximum(ratio, rng.uniform(0.03, 0.12, n)), ratio)
        return np.where(spends, np.floor(revenue * ratio * 100) / 100, 0.0)

    def _tax(self, section: np.ndarray, revenue: np.ndarray, rank: np.ndarray) -> np.ndarray:
        """Tax paid (万元): the section's rate with noise; many micro enterprises pay none."""
        rng, n = self.rng, self.n
        rate = np.array([_SECTORS[s].tax_rate for s in self.table.sections])[section]
        tax = np.floor(revenue * rate * np.exp(rng.normal(0, 0.5, n)) * 100) / 100
        exempt = (rank == 0) & (rng.random(n) < 0.4)
        return np.where(exempt, 0.0, tax)

    def _founders(
        self, rank: np.ndarray, founded: np.ndarray, rural: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Founder categories: young and small enterprises more often have a graduate founder,
        rural ones a returnee."""
        rng, n = self.rng, self.n
        young = founded > self.on64 - np.timedelta64(5 * 365, "D")
        scale = np.where(rank >= 2, 0.3, 1.0)
        chances = {
            "founder_graduate": np.where(young, 0.10, 0.04),
            "founder_veteran": np.full(n, 0.03),
            "founder_returnee": np.where(rural, 0.06, 0.015),
            "founder_unemployed": np.full(n, 0.02),
            "founder_disabled": np.full(n, 0.005),
        }
        return {name: rng.random(n) < p * scale for name, p in chances.items()}

    def _event(
        self,
        rank: np.ndarray,
        founded: np.ndarray,
        rates: tuple[float, float, float, float],
        after_years: int,
        earliest: str,
    ) -> np.ndarray:
        """A rare first-time event (listing, bond issue) by size, at least ``after_years``
        after founding; NaT where it did not happen."""
        rng, n = self.rng, self.n
        start = np.maximum(_add_years(founded, after_years), np.datetime64(earliest))
        days = (self.on64 - start).astype(np.int64)
        happened = (rng.random(n) < np.array(rates)[rank]) & (days >= 0)
        when = start + (rng.random(n) * np.maximum(days + 1, 1)).astype(np.int64)
        return np.where(happened, when, np.datetime64("NaT", "D"))

    def _uscc(self, district: np.ndarray, founded: np.ndarray) -> np.ndarray:
        """Unique codes: the district's division code, an ``MA`` 主体标识码 since 2015-10-01."""
        divisions = np.array([d.code for d in self.city.districts])[district]
        recent = founded >= _USCC_SINCE
        bodies = organization_bodies(self.rng, recent)
        while True:
            keys = bodies.astype(np.int64) @ (128 ** np.arange(7, -1, -1, dtype=np.int64))
            _, first = np.unique(keys, return_index=True)
            repeated = np.ones(self.n, dtype=bool)
            repeated[first] = False
            if not repeated.any():
                return uscc_codes(divisions, bodies)
            bodies[repeated] = organization_bodies(self.rng, recent[repeated])


@dataclass(frozen=True)
class _IndustryTable:
    """The classes that may be drawn, with weights, section and size-standard row."""

    codes: tuple[str, ...]
    sections: tuple[str, ...]
    section: np.ndarray  # index into sections, per class
    urban_weights: np.ndarray
    rural_weights: np.ndarray
    group: np.ndarray  # index into the rows, per class
    covered: np.ndarray  # whether the size standard classifies the class
    used: np.ndarray  # (rows, 3) indicators of each row
    band_low: np.ndarray  # (rows, 4 size ranks, 3 indicators)
    band_high: np.ndarray
    ratios: np.ndarray  # (classes, 2) revenue per employee, total assets per revenue


@cache
def _industry_table(standard_id: str) -> _IndustryTable:
    standard = next(s for s in standards() if s.id == standard_id)
    sections = tuple(_SECTORS)
    groups = list(standard.groups.values())
    other = next(i for i, g in enumerate(groups) if g.id == "other")
    per_division: dict[str, list[str]] = {}
    for item in industries().values():
        if item.level == "class" and _section_of(item.code) in _SECTORS:
            per_division.setdefault(item.code[:2], []).append(item.code)
    codes, section, within, group, covered = [], [], [], [], []
    for division, classes in per_division.items():
        share = _DIVISIONS.get(division, 1.0) / len(classes)
        for code in classes:
            weight = share * _CLASSES.get(code, 1.0)
            if weight == 0:
                continue
            placement = standard.placements[code]
            codes.append(code)
            section.append(sections.index(_section_of(code)))
            within.append(weight)
            group.append(groups.index(placement.group) if placement.group else other)
            covered.append(placement.group is not None)
    section_of = np.array(section)
    within_w = np.array(within)
    totals = np.bincount(section_of, weights=within_w)
    share_w = within_w / totals[section_of]  # a section's classes share the section's weight
    urban_w = share_w * np.array([_SECTORS[s].weight for s in sections])[section_of]
    rural_w = urban_w * np.array([_SECTORS[s].rural for s in sections])[section_of]

    indicators = list(Indicator)
    used = np.array([[i in g.indicators for i in indicators] for g in groups])
    bounds = np.array(
        [[[float(g.bounds[t].get(i, np.nan)) for i in indicators] for t in TIERS] for g in groups]
    )  # (rows, large/medium/small, 3)
    floor = np.array([_FLOOR[i] for i in indicators])
    large, medium, small = bounds[:, 0], bounds[:, 1], bounds[:, 2]
    floors = np.broadcast_to(floor, small.shape)
    band_low = np.stack([floors, small, medium, large], axis=1)
    band_high = np.stack([small, medium, large, large * _LARGE_SPAN], axis=1)
    band_low = np.where(used[:, None, :], band_low, 1.0)
    band_high = np.where(used[:, None, :], band_high, 2.0)

    ratios = np.array(
        [[_SECTORS[s].revenue_per_employee, _SECTORS[s].assets_per_revenue] for s in sections]
    )
    return _IndustryTable(
        codes=tuple(codes),
        sections=sections,
        section=section_of,
        urban_weights=urban_w,
        rural_weights=rural_w,
        group=np.array(group),
        covered=np.array(covered),
        used=used,
        band_low=band_low,
        band_high=band_high,
        ratios=ratios[section_of],
    )


def _section_of(code: str) -> str:
    return ancestors(code)[-1].code


def _draw(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    """``n`` indices drawn with the given relative weights."""
    cumulative = np.cumsum(weights)
    return np.minimum(
        np.searchsorted(cumulative, rng.random(n) * cumulative[-1], side="right"), len(weights) - 1
    )


def _log_between(lo: np.ndarray, hi: np.ndarray, position: np.ndarray) -> np.ndarray:
    return np.exp(np.log(lo) + position * (np.log(hi) - np.log(lo)))


def _add_years(days: np.ndarray, years: int) -> np.ndarray:
    """Dates ``years`` later; a 29 February becomes 1 March."""
    months = days.astype("datetime64[M]")
    offset = days - months.astype("datetime64[D]")
    return (months + np.timedelta64(12 * years, "M")).astype("datetime64[D]") + offset


def _normal_quantile(p: np.ndarray) -> np.ndarray:
    """Φ⁻¹(p), −∞ for 0, computed once per distinct probability."""
    values, inverse = np.unique(p, return_inverse=True)
    quantiles = np.array([NormalDist().inv_cdf(v) if v > 0 else -np.inf for v in values])
    return quantiles[inverse.reshape(p.shape)]
