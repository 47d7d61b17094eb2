"""``huiqi law compare`` and ``huiqi law corresponding`` on the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document as WordDocument

from huiqi.cli import law_compare, main

from .corpus import corpus_path

HUNAN = str(corpus_path("hunan-comparison-2020.txt"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["law", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "compare", f"{HUNAN}#1", f"{HUNAN}#2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    pairs = data["pairs"]
    for p in pairs:
        assert isinstance(p["old"], int | None) and isinstance(p["new"], int | None)
        assert isinstance(p["score"], float) and 0 <= p["score"] <= 1
        assert p["relation"] in {
            "same",
            "modified",
            "renumbered",
            "moved",
            "split",
            "merged",
            "added",
            "deleted",
        }
        assert isinstance(p["matched_by"], str)
    from_13 = [p for p in pairs if p["old"] == 13]
    assert sorted(p["new"] for p in from_13) == [16, 21]  # split: several entries
    assert {p["relation"] for p in from_13} == {"split"}
    assert {"old": 10, "new": 11} in [{"old": p["old"], "new": p["new"]} for p in pairs]


def test_bundled_ids_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "compare", "cn-sme-payment-regulation-2020", "cn-sme-payment-regulation-2025"
    )
    assert code == 0
    assert out.startswith("# 保障中小企业款项支付条例修改对照稿")
    assert "| 保障中小企业款项支付条例 | 保障中小企业款项支付条例 |" in out


def test_docx_and_html_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "对照稿.docx"
    code, _, err = run(
        capsys,
        "compare",
        "220100-sme-promotion-draft",
        "220100-sme-promotion-2025",
        "--format",
        "docx",
        "-o",
        str(target),
    )
    assert code == 0 and "已写入" in err
    word = WordDocument(io.BytesIO(target.read_bytes()))
    assert len(word.tables[0].columns) == 2
    page = tmp_path / "对照稿.html"
    assert (
        run(capsys, "compare", f"{HUNAN}#1", f"{HUNAN}#2", "--format", "html", "-o", str(page))[0]
        == 0
    )
    assert "<table" in page.read_text("utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["compare", "nope", "220100-sme-promotion-2025"], "法规库中没有编号为“nope”的文件"),
        (["compare", "/tmp/不存在.txt", "220100"], "找不到文件"),
        (["compare", HUNAN, f"{HUNAN}#2"], "是修改对照稿，请写作"),
        (
            [
                "compare",
                "220100-sme-promotion-draft",
                "220100-sme-promotion-2025",
                "--format",
                "docx",
            ],
            "须用 -o",
        ),
        (["corresponding", "220100-sme-promotion-2025-04-03#art_99"], "没有 art_99"),
        (["corresponding", "投诉", "--threshold", "2"], "--threshold 须在 0 与 1 之间"),
    ],
)
def test_errors_exit_2_in_chinese(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert out == ""


def test_not_a_comparison_with_column(capsys: pytest.CaptureFixture[str]) -> None:
    plain = str(corpus_path("changchun-2025.txt"))
    code, _, err = run(capsys, "compare", f"{plain}#1", "220100-sme-promotion-draft")
    assert code == 2 and "不是修改对照稿" in err


def test_corresponding_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(law_compare, "_seeds", lambda query: [])
    code, out, _ = run(capsys, "corresponding", "政府采购预留份额", "--json")
    assert code == 0
    data = json.loads(out)
    docs = {m["doc"] for m in data["matches"]}
    assert {"220100-sme-promotion-2025-04-03", "440300-sme-promotion-draft"} <= docs
    share = next(p for p in data["parameters"] if p["name"] == "procurement.reserved_share")
    assert share["differs"] is True


def test_corresponding_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "corresponding", "220100-sme-promotion-2025-04-03#43")
    assert code == 0
    assert "投诉、举报的答复期限（各地不同）" in out
    assert "20个工作日" in out
