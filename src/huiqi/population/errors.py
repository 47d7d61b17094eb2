"""Errors of the population (registry) package that a user can act on: a file without the
columns the fact catalogue requires, a format huiqi cannot write, a city without district data,
bad generator parameters. Messages are in Simplified Chinese and name the file or the value."""

from __future__ import annotations

from collections.abc import Sequence

from huiqi.errors import UserError


class PopulationError(UserError):
    """A population file or generator request that cannot be used as given."""


class UnsupportedFormat(PopulationError):
    """A file name whose suffix is not one of the population formats."""


class UnknownCity(PopulationError):
    """A 行政区划代码 for which the generator has no districts."""


class MissingColumns(PopulationError):
    """A population file or frame without some of the catalogue's stored facts."""

    def __init__(self, source: str, missing: Sequence[str], labels: Sequence[str]) -> None:
        """``source`` says what lacks them: 企业名录文件“registry.csv”."""
        self.source = source
        self.missing = tuple(missing)
        listed = "、".join(
            f"{name}（{label}）" for name, label in zip(missing, labels, strict=True)
        )
        super().__init__(f"{source}缺少 {len(self.missing)} 列：{listed}")
