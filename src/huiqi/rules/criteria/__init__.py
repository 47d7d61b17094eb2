"""Eligibility criteria for 惠企政策: a small language over the fact catalogue.

长春 条例 第三十五条 asks for targeted push by industry and size and for 免申即享 from the data
government already holds. One criteria tree per policy serves both uses: :func:`evaluate`
explains it for one enterprise (yes / no / unknown per condition, Kleene logic), and
:func:`screen` runs the same tree compiled to SQL over a whole population. The text form
(:func:`render`, :func:`parse`) is what officials read and write; the JSON form
(:func:`to_json`, :func:`from_json`) is what is stored. See ``docs/criteria.md``.
"""

from .admits import admitted
from .errors import (
    CriteriaError,
    CriteriaSyntaxError,
    InvalidValue,
    PopulationError,
    TypeMismatch,
    UnknownFact,
)
from .evaluate import evaluate, explain
from .nodes import (
    BOND,
    LISTING,
    And,
    AtLeast,
    Compare,
    Condition,
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
    from_json,
    inputs,
    leaves,
    to_json,
)
from .outcome import Check, Eligibility, LeafResult, Outcome, Status, decode, encode
from .screen import PolicyScreen, Screening, screen
from .shape import Shape, shape
from .sql import ScreeningQuery, population_schema, screening_query
from .text import parse, render

__all__ = [
    "BOND",
    "LISTING",
    "And",
    "AtLeast",
    "Check",
    "Compare",
    "Condition",
    "Criteria",
    "CriteriaError",
    "CriteriaSyntaxError",
    "Dishonest",
    "DistrictIn",
    "Eligibility",
    "FirstTime",
    "Founder",
    "FounderCategory",
    "Holds",
    "IndustryIn",
    "InvalidValue",
    "LeafResult",
    "Not",
    "Op",
    "Or",
    "Outcome",
    "PolicyScreen",
    "PopulationError",
    "Screening",
    "ScreeningQuery",
    "Shape",
    "SizeIn",
    "Status",
    "TypeMismatch",
    "UnknownFact",
    "admitted",
    "decode",
    "encode",
    "evaluate",
    "explain",
    "from_json",
    "inputs",
    "leaves",
    "parse",
    "population_schema",
    "render",
    "screen",
    "screening_query",
    "shape",
    "to_json",
]
