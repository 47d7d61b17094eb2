"""The population file formats, chosen by the file's suffix."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from .errors import UnsupportedFormat


class Format(StrEnum):
    PARQUET = "parquet"
    CSV = "csv"
    SQLITE = "sqlite"

    @property
    def label(self) -> str:
        """Parquet, CSV, SQLite."""
        return {"parquet": "Parquet", "csv": "CSV", "sqlite": "SQLite"}[self]


SUFFIXES = {".parquet": Format.PARQUET, ".csv": Format.CSV, ".sqlite": Format.SQLITE}


def format_of(path: str | Path) -> Format:
    """The format a file name asks for, from its suffix."""
    found = SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise UnsupportedFormat(
            f"无法识别企业名录文件“{path}”的格式：文件名应当以 {'、'.join(SUFFIXES)} 结尾"
        )
    return found
