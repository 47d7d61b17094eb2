"""Errors of the criteria language: a text that does not parse, an unknown fact, a type
mismatch, a value out of range, a population that lacks a column. Messages are Chinese and,
for a text, point at the line and column with a caret under the place."""

from __future__ import annotations

import unicodedata

from huiqi.rules.errors import RulesError


class CriteriaError(RulesError):
    """A criteria text, JSON AST or population the engine cannot use as given."""

    def __init__(self, message: str, text: str | None = None, position: int | None = None):
        self.reason = message
        self.text = text
        self.position = position
        self.line: int | None = None
        self.column: int | None = None
        if text is not None and position is not None:
            self.line = text.count("\n", 0, position) + 1
            start = text.rfind("\n", 0, position) + 1
            self.column = position - start + 1
            message = f"第{self.line}行第{self.column}列：{message}\n{_excerpt(text, position)}"
        super().__init__(message)


class CriteriaSyntaxError(CriteriaError):
    """The text breaks the grammar: something else was expected at the position."""


class UnknownFact(CriteriaError):
    """A name that is not in the fact catalogue (``data/facts.yaml``)."""


class TypeMismatch(CriteriaError):
    """A fact compared with a value of another type: a date with a number, a code with ≥ …"""


class InvalidValue(CriteriaError):
    """A value of the right type that cannot be used: an unknown industry code, a period that
    ends before it starts, 至少满足 N 项 with N larger than the number of items."""


class PopulationError(CriteriaError):
    """A population (table or file) that cannot be screened: a missing column, an unknown
    engine, too many conditions for the compact code."""


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excerpt(text: str, position: int) -> str:
    """The line holding ``position`` and a caret under it, wide characters counted twice so
    the caret lines up in a terminal."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end >= 0 else len(text)]
    return f"  {line}\n  {' ' * _width(text[start:position])}^"
