"""``huiqi screen``: the counts per policy equal those of matching each enterprise on its own,
the per-enterprise results written with ``--out`` explain themselves as :func:`evaluate` does,
and bad input exits 2 with a Chinese message and nothing written."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from huiqi.cli import main
from huiqi.population import generate, write
from huiqi.rules.criteria import evaluate, explain
from huiqi.rules.policies import bundled_policies, checked_facts, match

ON = date(2026, 6, 1)
PACK = {p.id: p for p in bundled_policies()}


@pytest.fixture(scope="module")
def population() -> pl.DataFrame:
    return generate(2_000, seed=4)


@pytest.fixture(scope="module")
def expected(population: pl.DataFrame) -> Counter[tuple[str, str]]:
    """(policy, status) → enterprises, by matching every enterprise on its own."""
    counted: Counter[tuple[str, str]] = Counter()
    for facts in population.iter_rows(named=True):
        for m in match(facts, PACK.values(), ON):
            counted[m.policy.id, m.status.value] += 1
    return counted


@pytest.mark.parametrize(("suffix", "engine"), [(".parquet", "duckdb"), (".csv", "sqlite")])
@pytest.mark.parametrize("out_suffix", [".parquet", ".sqlite"])
def test_counts_and_results_agree_with_matching_each_enterprise(
    tmp_path, capsys, population, expected, suffix, engine, out_suffix
):
    source = write(population, tmp_path / f"registry{suffix}")
    out = tmp_path / f"results{out_suffix}"
    argv = ["screen", "--population", str(source), "--policies", "bundled"]
    code = main([*argv, "--on", ON.isoformat(), "--engine", engine, "--out", str(out)])
    printed, _ = capsys.readouterr()
    assert code == 0
    assert "规则集版本" in printed
    results = _read_results(out)
    counted = Counter(zip(results["policy"], results["status"], strict=True))
    assert counted == expected
    assert set(results["content_hash"]) <= {p.content_hash for p in PACK.values()}

    facts = {row["uscc"]: row for row in population.iter_rows(named=True)}
    for row in results.sample(300, seed=1).iter_rows(named=True):
        policy = PACK[row["policy"]]
        rebuilt = explain(policy.criteria, row["code"])
        outcome = evaluate(policy.criteria, checked_facts(facts[row["uscc"]]), ON)
        assert rebuilt.eligibility.value == row["status"] == outcome.eligibility.value
        assert [(c.text, c.status, c.decisive) for c in rebuilt.checks] == [
            (c.text, c.status, c.decisive) for c in outcome.checks
        ]
        for short, full in zip(rebuilt.reasons, outcome.reasons, strict=True):
            assert full.startswith(short.split("（")[0])
        if outcome.value is not None:
            assert rebuilt.summary == outcome.summary


def _read_results(path: Path) -> pl.DataFrame:
    if path.suffix == ".parquet":
        return pl.read_parquet(path)
    import sqlite3

    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT policy, status, code, uscc, content_hash FROM results")
        return pl.DataFrame(
            rows.fetchall(),
            schema=["policy", "status", "code", "uscc", "content_hash"],
            orient="row",
        )


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(["screen", *argv])
    return code, capsys.readouterr().err


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, population):
    good = str(write(population.head(50), tmp_path / "registry.parquet"))
    out = tmp_path / "results.parquet"

    lacking = write(population.head(50), tmp_path / "lacking.parquet")
    pl.read_parquet(lacking).drop("revenue").write_parquet(lacking)
    code, err = _run(capsys, "--population", str(lacking), "--policies", "bundled")
    assert code == 2
    assert "缺少 1 列：revenue（营业收入）" in err

    code, err = _run(capsys, "--population", good, "--policies", "no-such-pack")
    assert code == 2
    assert "找不到政策包“no-such-pack”" in err

    code, err = _run(capsys, "--population", str(tmp_path / "r.xlsx"), "--policies", "bundled")
    assert code == 2
    assert "无法识别企业名录文件" in err

    code, err = _run(
        capsys, "--population", good, "--policies", "bundled", "--out", str(tmp_path / "r.json")
    )
    assert code == 2
    assert "无法识别结果文件" in err

    missing_dir = tmp_path / "nowhere" / "results.parquet"
    code, err = _run(
        capsys, "--population", good, "--policies", "bundled", "--out", str(missing_dir)
    )
    assert code == 2
    assert "不存在" in err
    assert not out.exists()
    assert list(tmp_path.glob(".*.part")) == []
