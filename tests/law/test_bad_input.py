"""Bad input gets a clear message naming the file (and line), never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from huiqi.law import InputError, ParseError, parse_file

from .corpus import corpus_path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "huiqi", *args], capture_output=True, text=True, timeout=120
    )


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(InputError, match=r"empty\.txt.*文件为空"):
        parse_file(path)


def test_binary_file(tmp_path):
    path = tmp_path / "scan.pdf.txt"
    path.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputError, match="二进制文件"):
        parse_file(path)


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16"])
def test_gb_encoded_official_text_is_detected(tmp_path, encoding):
    text = corpus_path("hunan-2021.txt").read_text("utf-8")
    path = tmp_path / f"hunan-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = parse_file(path)
    assert len(doc.articles) == 36
    assert doc.article(11).paragraphs[0].text.startswith("各类金融机构")


def test_text_without_articles(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(
        "关于开展中小企业服务月活动的通知\n各有关单位：\n现将有关事项通知如下。\n", "utf-8"
    )
    with pytest.raises(ParseError, match=r"notice\.txt.*第1行.*没有找到任何条文") as info:
        parse_file(path)
    assert info.value.line == 1


def test_skipped_and_repeated_numbers_are_reported_not_renumbered(tmp_path):
    path = tmp_path / "gaps.txt"
    path.write_text("第一条 甲。\n第二条 乙。\n第五条 丙。\n第五条 丁。\n第六条 戊。\n", "utf-8")
    doc = parse_file(path)
    assert [a.label for a in doc.articles] == ["第一条", "第二条", "第五条", "第五条", "第六条"]
    assert [(w.line, w.code) for w in doc.warnings] == [(3, "article-gap"), (4, "article-repeat")]
    assert "缺少第三条至第四条" in doc.warnings[0].message
    assert len({a.id for a in doc.articles}) == 5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件为空"),
        (b"\x00\x01\x02\x03binary", "二进制文件"),
        ("通知\n没有条文。\n".encode(), "没有找到任何条文"),
    ],
)
def test_cli_refuses_bad_files_with_exit_code_2(tmp_path, content, message):
    path = tmp_path / "upload.txt"
    path.write_bytes(content)
    result = run_cli("law", "parse", str(path))
    assert result.returncode == 2
    assert message in result.stderr and "upload.txt" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cli_reports_numbering_problems_with_file_and_line(tmp_path):
    path = tmp_path / "gaps.txt"
    path.write_text("第一条 甲。\n第三条 乙。\n", "utf-8")
    result = run_cli("law", "parse", str(path))
    assert result.returncode == 2
    assert f"{path}:2：条号不连续：缺少第二条" in result.stderr
    assert '"num": 3' in result.stdout


def test_cli_missing_file():
    result = run_cli("law", "parse", "/nonexistent/law.txt")
    assert result.returncode == 2
    assert "找不到文件" in result.stderr and "Traceback" not in result.stderr


def test_cli_unknown_document_and_article():
    result = run_cli("law", "show", "999999-nothing")
    assert result.returncode == 2 and "法规库中没有编号" in result.stderr
    result = run_cli("law", "show", "220100-sme-promotion-2025-04-03", "99")
    assert result.returncode == 2 and "没有第九十九条（全文共45条）" in result.stderr
