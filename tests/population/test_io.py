"""Population files: each format round-trips the frame; a file without some columns, with bad
values or duplicate codes is refused with a Chinese message; a failed write leaves nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import polars as pl
import pytest

from huiqi.errors import UserError
from huiqi.population import (
    TABLE,
    Dialect,
    MissingColumns,
    PopulationError,
    UnsupportedFormat,
    column_names,
    create_table,
    read,
    write,
)
from huiqi.population import io as population_io

SUFFIXES = (".parquet", ".csv", ".sqlite")


def _raw_write(frame: pl.DataFrame, path: Path) -> None:
    """Write a frame as another tool would, without the package's checks."""
    if path.suffix == ".parquet":
        frame.write_parquet(path)
    elif path.suffix == ".csv":
        frame.write_csv(path)
    else:
        connection = sqlite3.connect(path)
        names = ", ".join(f'"{c}"' for c in frame.columns)
        connection.execute(f'CREATE TABLE "{TABLE}" ({names})')
        rows = frame.with_columns(pl.col(pl.Date).cast(pl.String)).rows()
        marks = ", ".join("?" for _ in frame.columns)
        connection.executemany(f'INSERT INTO "{TABLE}" VALUES ({marks})', rows)
        connection.commit()
        connection.close()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_round_trip(population, tmp_path, suffix):
    path = write(population, tmp_path / f"registry{suffix}")
    assert read(path).equals(population)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_csv_is_utf8_with_header_and_iso_dates(population, tmp_path):
    path = write(population.head(50), tmp_path / "registry.csv")
    lines = path.read_text("utf-8").splitlines()
    assert lines[0] == ",".join(column_names())
    first = population.row(0, named=True)
    assert lines[1].startswith(f"{first['uscc']},{first['name']},2025,")
    assert first["founded"].isoformat() in lines[1]


def test_sqlite_has_the_table_and_the_index(population, tmp_path):
    path = write(population.head(100), tmp_path / "registry.sqlite")
    connection = sqlite3.connect(path)
    sql = connection.execute(f"SELECT sql FROM sqlite_master WHERE name = '{TABLE}'").fetchone()
    assert sql[0] == create_table(Dialect.SQLITE)
    index = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (TABLE,)
    ).fetchone()
    assert index[0].startswith("CREATE UNIQUE INDEX") and '("uscc")' in index[0]
    assert connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] == 100
    founded = connection.execute(f"SELECT founded FROM {TABLE} LIMIT 1").fetchone()[0]
    assert len(founded) == 10 and founded[4] == "-"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_missing_columns_are_named_in_chinese(population, tmp_path, suffix):
    path = tmp_path / f"registry{suffix}"
    _raw_write(population.head(20).drop("employees", "zjtx_first"), path)
    with pytest.raises(MissingColumns) as caught:
        read(path)
    message = str(caught.value)
    assert isinstance(caught.value, UserError)
    assert message.startswith(f"企业名录文件“{path}”缺少 2 列")
    assert "缺少 2 列：employees（从业人员）、zjtx_first（专精特新中小企业首次认定日期）" in message
    assert caught.value.missing == ("employees", "zjtx_first")


def test_a_file_from_another_tool_is_typed(population, tmp_path):
    path = tmp_path / "registry.sqlite"
    _raw_write(population.head(300).with_columns(pl.col(pl.Boolean).cast(pl.Int64)), path)
    assert read(path).equals(population.head(300))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("employees", "十二", "第 3 条记录：employees（从业人员）应当是整数，而不是“十二”"),
        ("founded", "2020/01/01", "founded（成立日期）应当是日期（如 2025-06-01）"),
        ("dishonest", "maybe", "dishonest（列入严重失信主体名单）应当是是否值"),
        ("revenue", "1,200", "revenue（营业收入）应当是数字"),
    ],
)
def test_bad_values_are_refused(population, tmp_path, column, value, message):
    frame = population.head(5).with_columns(pl.col(pl.Date).cast(pl.String))
    frame = frame.with_columns(frame.get_column(column).cast(pl.String).scatter(2, value))
    path = tmp_path / "registry.csv"
    frame.write_csv(path)
    with pytest.raises(PopulationError, match=message):
        read(path)


def test_registration_facts_must_be_present_and_codes_unique(population, tmp_path):
    path = tmp_path / "registry.csv"
    head = population.head(5)
    head.with_columns(head.get_column("name").scatter(1, None)).write_csv(path)
    with pytest.raises(PopulationError, match="name（企业名称）不能为空，有 1 条记录缺少"):
        read(path)
    head.with_columns(head.get_column("uscc").scatter(4, head.get_column("uscc")[0])).write_csv(
        path
    )
    with pytest.raises(PopulationError, match="重复"):
        read(path)


def test_codes_must_be_text(population, tmp_path):
    path = tmp_path / "registry.parquet"
    population.head(5).with_columns(pl.col("industry").cast(pl.Int64)).write_parquet(path)
    with pytest.raises(PopulationError, match="industry（所属行业）应当是文本列"):
        read(path)


@pytest.mark.parametrize(
    ("name", "content", "error", "message"),
    [
        ("registry.xlsx", b"", UnsupportedFormat, "\\.parquet、\\.csv、\\.sqlite"),
        ("absent.csv", None, PopulationError, "找不到企业名录文件"),
        ("broken.parquet", b"not parquet", PopulationError, "无法读取企业名录文件"),
        ("broken.sqlite", b"not sqlite" * 100, PopulationError, "无法读取企业名录文件"),
    ],
)
def test_unreadable_files(tmp_path, name, content, error, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=message):
        read(path)


def test_a_sqlite_file_without_the_table(tmp_path):
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(PopulationError, match=f"没有 {TABLE} 表"):
        read(path)


def _write_half_then_fail(frame: pl.DataFrame, file: Path, *args: object, **kwargs: object) -> None:
    Path(file).write_bytes(b"half a file")
    raise RuntimeError("disk full")


@pytest.mark.parametrize(
    ("suffix", "method"), [(".parquet", "write_parquet"), (".csv", "write_csv")]
)
def test_a_failed_write_leaves_the_old_file_and_no_part(
    population, tmp_path, monkeypatch, suffix, method
):
    target = tmp_path / f"registry{suffix}"
    write(population.head(10), target)
    before = target.read_bytes()
    monkeypatch.setattr(pl.DataFrame, method, _write_half_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        write(population, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_an_interrupted_sqlite_write_leaves_nothing(population, tmp_path, monkeypatch):
    def interrupted(table: str = TABLE) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(population_io, "create_index", interrupted)  # after the rows went in
    target = tmp_path / "registry.sqlite"
    with pytest.raises(KeyboardInterrupt):
        write(population.head(1_000), target)
    assert list(tmp_path.iterdir()) == []


def test_writing_into_a_missing_directory(population, tmp_path):
    with pytest.raises(PopulationError, match="不存在"):
        write(population.head(3), tmp_path / "absent" / "registry.parquet")
    with pytest.raises(MissingColumns, match=r"待写入“.*registry\.parquet”的企业名录缺少 1 列"):
        write(population.drop("revenue"), tmp_path / "registry.parquet")
    assert list(tmp_path.iterdir()) == []
