"""``huiqi population generate``: writes the registry in the format of the suffix and prints a
summary; bad input gets a Chinese message and exit code 2, and no file."""

from __future__ import annotations

import subprocess
import sys

import pytest

from huiqi.cli import main
from huiqi.population import generate, read


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".sqlite"])
def test_generate_writes_and_summarises(capsys, tmp_path, suffix):
    out_file = tmp_path / f"demo{suffix}"
    code, out, _ = run(
        capsys, "population", "generate", "--count", "1500", "--seed", "9", "--out", str(out_file)
    )
    assert code == 0
    assert read(out_file).equals(generate(1500, seed=9))
    assert "已生成 1,500 家合成企业：长春市，2025 年度财务数据，名录日期 2025-12-31" in out
    assert "数据为虚构" in out
    for label in ("微型企业", "小型企业", "中型企业", "大型企业", "无法判定", "用时"):
        assert label in out


def test_generate_for_another_city_and_date(capsys, tmp_path):
    out_file = tmp_path / "sz.parquet"
    code, out, _ = run(
        capsys, "population", "generate", "--count", "200", "--seed", "1", "--city", "440300",
        "--year", "2024", "--on", "2025-03-31", "--out", str(out_file),
    )  # fmt: skip
    assert code == 0
    assert "深圳市，2024 年度财务数据，名录日期 2025-03-31" in out
    assert read(out_file).get_column("year").unique().to_list() == [2024]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--count", "-1", "--seed", "1"), "--count 应当是非负整数"),
        (("--count", "10", "--seed", "x"), "--seed 应当是整数"),
        (("--count", "10", "--seed", "1", "--city", "999999"), "可用：220100 长春市"),
        (("--count", "10", "--seed", "1", "--on", "2025/12/31"), "应当是日期"),
        (("--count", "10", "--seed", "1", "--on", "2024-12-31"), "不能早于财务数据年度"),
        (("--count", "10", "--seed", "1", "--year", "1800"), "财务数据年度"),
    ],
)
def test_bad_input_exits_2(capsys, tmp_path, argv, message):
    out_file = tmp_path / "demo.parquet"
    code, _, err = run(capsys, "population", "generate", *argv, "--out", str(out_file))
    assert code == 2
    assert message in err
    assert err.startswith("错误：")
    assert not out_file.exists()


def test_unknown_suffix_is_refused_before_generating(capsys, tmp_path):
    code, _, err = run(
        capsys, "population", "generate", "--count", "10", "--seed", "1",
        "--out", str(tmp_path / "demo.xlsx"),
    )  # fmt: skip
    assert code == 2
    assert "文件名应当以 .parquet、.csv、.sqlite 结尾" in err
    assert list(tmp_path.iterdir()) == []


def test_registering_the_command_does_not_load_polars():
    """Every huiqi command builds the whole parser: this one must stay cheap to register."""
    code = (
        "import sys, argparse, huiqi.population, huiqi.cli.population as p; "
        "p.register(argparse.ArgumentParser().add_subparsers()); "
        "print(sorted({'polars', 'numpy'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
