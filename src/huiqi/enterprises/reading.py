"""Reading registry files (CSV and Excel) into a header and numbered rows of raw cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .errors import RegistryFileError

FORMATS = ("csv", "xlsx")


def format_of(name: str) -> str:
    """``csv`` or ``xlsx`` from a file name."""
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise RegistryFileError(
            f"不支持的文件格式“{name}”：请使用 CSV（.csv）或 Excel（.xlsx）文件"
        )
    return suffix


def read_table(data: BinaryIO, fmt: str) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header and the non-empty rows, each with its row number in the file (the header is
    row 1). CSV is UTF-8 (with or without BOM) or GB18030; Excel is the first sheet."""
    if fmt == "csv":
        return _split(enumerate(csv.reader(io.StringIO(_decode(data.read()))), start=1))
    import openpyxl

    try:
        book = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except Exception as exc:
        raise RegistryFileError(f"无法读取 Excel 文件：{exc}") from exc
    return _split(enumerate(book.worksheets[0].iter_rows(values_only=True), start=1))


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegistryFileError("无法识别 CSV 文件的字符编码：请保存为 UTF-8 或 GB18030 编码")


def _split(
    rows: Iterator[tuple[int, Any]],
) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    for _number, header in rows:
        if not all(_blank(c) for c in header):
            names = [("" if c is None else str(c)).strip() for c in header]
            return names, _data_rows(rows)
    raise RegistryFileError(
        "文件中没有表头：第一行应为列名（事实名称或中文名称，如 uscc 或 统一社会信用代码）"
    )


def _data_rows(rows: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, list[Any]]]:
    for number, row in rows:
        cells = list(row)
        if not all(_blank(c) for c in cells):
            yield number, cells


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
