"""Population files: Parquet, CSV (UTF-8 with a header, ISO dates, empty for unknown) and
SQLite (table ``enterprises`` as in :mod:`.schema`, unique index on ``uscc``); the format
follows the file's suffix.

A write goes to a temporary file beside the target, which replaces the target only once it is
complete and flushed to disk, so a failure or a crash never leaves a half-written population.
A read checks the file against the fact catalogue: every column present (a
:class:`~.errors.MissingColumns` names the missing ones), values of the right type, registration
facts present, 统一社会信用代码 unique. Columns the catalogue does not know are dropped.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import polars as pl

from huiqi.rules.facts import FactType

from .errors import MissingColumns, PopulationError
from .formats import Format, format_of
from .schema import TABLE, Column, Dialect, columns, create_index, create_table

_TEXT = (FactType.TEXT, FactType.INDUSTRY, FactType.DIVISION)
_BOOLEAN_TEXT = {"true": True, "false": False, "1": True, "0": False}


def write(population: pl.DataFrame, path: str | Path) -> Path:
    """Write the population to ``path`` atomically, in the format of its suffix."""
    target = Path(path)
    kind = format_of(target)
    frame = conform(population, f"待写入“{target}”的企业名录")
    try:
        with replacing(target) as part:
            if kind is Format.PARQUET:
                frame.write_parquet(part)
            elif kind is Format.CSV:
                frame.write_csv(part, date_format="%Y-%m-%d")
            else:
                _write_sqlite(frame, part)
    except OSError as exc:
        raise PopulationError(f"无法写入企业名录文件“{target}”：{exc.strerror or exc}") from exc
    return target


def read(path: str | Path) -> pl.DataFrame:
    """The population in ``path``, checked and typed as the schema says."""
    source = Path(path)
    kind = format_of(source)
    if not source.is_file():
        raise PopulationError(f"找不到企业名录文件“{source}”")
    try:
        if kind is Format.PARQUET:
            frame = pl.read_parquet(source)
        elif kind is Format.CSV:
            frame = pl.read_csv(source, infer_schema_length=0)
        else:
            frame = _read_sqlite(source)
    except (pl.exceptions.PolarsError, sqlite3.DatabaseError, OSError) as exc:
        raise PopulationError(f"无法读取企业名录文件“{source}”：{exc}") from exc
    return conform(frame, f"企业名录文件“{source}”")


def conform(frame: pl.DataFrame, source: str) -> pl.DataFrame:
    """The population's columns of ``frame``, in schema order and types; ``source`` says in
    messages what the frame is (企业名录文件“registry.csv”). Text read from CSV or SQLite is
    parsed (dates, numbers, true/false)."""
    missing = [c for c in columns() if c.name not in frame.columns]
    if missing:
        raise MissingColumns(source, [c.name for c in missing], [c.label for c in missing])
    out = []
    for column in columns():
        given = frame.get_column(column.name)
        converted = _converted(given, column, source)
        bad = (given.is_not_null() & converted.is_null()).arg_true()
        if len(bad):
            raise PopulationError(
                f"{source}第 {bad[0] + 1} 条记录：{column.name}（{column.label}）"
                f"应当是{column.type_label}，而不是“{given[bad[0]]}”"
            )
        if not column.nullable and converted.null_count():
            raise PopulationError(
                f"{source}：{column.name}（{column.label}）不能为空，"
                f"有 {converted.null_count()} 条记录缺少"
            )
        out.append(converted)
    result = pl.DataFrame(out)
    repeated = result.get_column("uscc").filter(result.get_column("uscc").is_duplicated())
    if len(repeated):
        raise PopulationError(f"{source}：统一社会信用代码“{repeated[0]}”重复")
    return result


def _converted(given: pl.Series, column: Column, source: str) -> pl.Series:
    """``given`` as the column's type; values that do not convert become NULL."""
    target = column.polars_type
    if given.dtype == target:
        return given
    if given.dtype == pl.Null:
        return given.cast(target)
    if column.type in _TEXT:
        raise PopulationError(
            f"{source}：{column.name}（{column.label}）应当是文本列，"
            f"而不是 {given.dtype}（代码的前导 0 会丢失）"
        )
    if given.dtype == pl.String:
        text = given.str.strip_chars()
        text = text.replace("", None)
        if column.type is FactType.DATE:
            return text.str.to_date("%Y-%m-%d", strict=False)
        if column.type is FactType.BOOLEAN:
            return text.str.to_lowercase().replace_strict(
                _BOOLEAN_TEXT, default=None, return_dtype=pl.Boolean
            )
        return text.cast(target, strict=False)
    if column.type is FactType.BOOLEAN and given.dtype.is_integer():
        return given.replace_strict({1: True, 0: False}, default=None, return_dtype=pl.Boolean)
    if column.type is FactType.DATE and given.dtype == pl.Datetime:
        return given.dt.date()
    return given.cast(target, strict=False)


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path`` that replaces it when the block succeeds and is
    removed when it fails."""
    directory = path.parent
    if not directory.is_dir():
        raise PopulationError(f"目录“{directory}”不存在，无法写入“{path.name}”")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    os.close(handle)
    part = Path(name)
    try:
        yield part
        with part.open("rb") as written:
            os.fsync(written.fileno())
        part.chmod(0o644)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_sqlite(frame: pl.DataFrame, path: Path) -> None:
    """One transaction into a fresh file: dates as ISO text, booleans as 0/1; the index on
    ``uscc`` after the rows."""
    rows = frame.with_columns(
        pl.col(pl.Date).dt.to_string("%Y-%m-%d"), pl.col(pl.Boolean).cast(pl.Int64)
    )
    placeholders = ", ".join("?" for _ in frame.columns)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        with connection:
            connection.execute(create_table(Dialect.SQLITE))
            connection.executemany(
                f'INSERT INTO "{TABLE}" VALUES ({placeholders})', rows.iter_rows()
            )
            connection.execute(create_index())
    finally:
        connection.close()


def _read_sqlite(path: Path) -> pl.DataFrame:
    connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        present = {row[1] for row in connection.execute(f'PRAGMA table_info("{TABLE}")')}
        if not present:
            raise PopulationError(f"企业名录文件“{path}”中没有 {TABLE} 表")
        missing = [c for c in columns() if c.name not in present]
        if missing:
            raise MissingColumns(
                f"企业名录文件“{path}”", [c.name for c in missing], [c.label for c in missing]
            )
        listed = ", ".join(f'"{c.name}"' for c in columns())
        values = connection.execute(f'SELECT {listed} FROM "{TABLE}"').fetchall()
    finally:
        connection.close()
    by_column = list(zip(*values, strict=True)) if values else [() for _ in columns()]
    out = []
    for column, data in zip(columns(), by_column, strict=True):
        try:
            out.append(pl.Series(column.name, data, dtype=_sqlite_type(column)))
        except (TypeError, pl.exceptions.PolarsError):
            raise PopulationError(
                f"企业名录文件“{path}”：{column.name}（{column.label}）列的值类型不一致，"
                f"应当都是{column.type_label}"
            ) from None
    return pl.DataFrame(out)


def _sqlite_type(column: Column) -> pl.DataType:
    """What a value of the column is when read from SQLite: dates are text, booleans 0/1."""
    if column.type is FactType.DATE:
        return pl.String()
    if column.type is FactType.BOOLEAN:
        return pl.Int64()
    return column.polars_type
