"""The rules commands: ``huiqi size``, ``huiqi deadline``, ``huiqi procurement``. Bad input
gets a Chinese message and exit code 2."""

from __future__ import annotations

import json

import pytest

from huiqi.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_size_json(capsys):
    code, out, _ = run(
        capsys, "size", "--industry", "3911", "--employees", "120", "--revenue", "15000",
        "--assets", "9000", "--on", "2025-06-01", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert data["size"] == "small"
    assert data["group"] == "industry"
    assert (
        data["citation"] == "《中小企业划型标准规定》（工信部联企业〔2011〕300号）第四条第（二）项"
    )


def test_size_text_and_declaration(capsys):
    code, out, _ = run(
        capsys, "size", "--industry", "3911", "--employees", "120", "--revenue", "15000",
        "--on", "2025-06-01", "--declaration", "goods", "--enterprise", "长春某科技有限公司",
    )  # fmt: skip
    assert code == 0
    assert "规模：小型企业" in out
    assert "中小企业声明函（货物）" in out
    assert "制造商为长春某科技有限公司" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--industry", "70", "--employees", "5"), "701 房地产开发经营"),
        (("--industry", "G", "--employees", "5"), "请提供更细的代码"),
        (("--industry", "53", "--employees", "5"), "铁路运输业"),
        (("--industry", "J", "--employees", "5"), "银发〔2015〕309号"),
        (("--industry", "XX", "--employees", "5"), "没有行业代码"),
        (("--industry", "3911", "--employees", "-3"), "不能为负数"),
        (("--industry", "3911", "--employees", "abc"), "应当是整数"),
        (("--industry", "4710", "--revenue", "7000"), "需要资产总额"),
        (("--industry", "3911", "--employees", "5", "--on", "2010-01-01"), "2011-06-18"),
        (("--industry", "3911", "--employees", "5", "--on", "2025/06/01"), "应当是日期"),
    ],
)
def test_size_bad_input_exits_2(capsys, argv, message):
    code, out, err = run(capsys, "size", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and message in err


def test_deadline_complaint_json(capsys):
    argv = ("deadline", "complaint", "--jurisdiction", "220100", "--received", "2026-12-20")
    code, out, _ = run(capsys, *argv, "--json")
    data = json.loads(out)
    assert code == 0
    assert data["due"] == "2027-01-15"
    assert data["provisional"] is True
    assert data["citation"] == "《长春市促进中小企业发展条例》第四十三条"


def test_deadline_complaint_text_of_the_national_day_case(capsys):
    argv = ("deadline", "complaint", "--jurisdiction", "220100", "--received", "2025-09-26")
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "到期：2025-10-30" in out
    assert "暂定" not in out


def test_deadline_complaint_with_a_draft_pack(capsys):
    argv = ("deadline", "complaint", "--jurisdiction", "430000", "--received", "2025-09-26")
    code, out, _ = run(capsys, *argv, "--pack", "hunan_revision_draft", "--json")
    data = json.loads(out)
    assert code == 0 and data["draft"] is True and data["due"] == "2025-10-27"


def test_deadline_complaint_with_a_loaded_calendar(capsys, tmp_path):
    from .test_deadlines import FIXTURE_2027

    path = tmp_path / "2027.yaml"
    path.write_text(FIXTURE_2027, encoding="utf-8")
    argv = ("deadline", "complaint", "--jurisdiction", "220100", "--received", "2026-12-20")
    code, out, _ = run(capsys, *argv, "--calendar", str(path), "--json")
    data = json.loads(out)
    assert code == 0 and data["provisional"] is False and data["due"] == "2027-01-18"


def test_deadline_payment_json(capsys):
    argv = ("deadline", "payment", "--buyer", "agency", "--signed", "2025-07-01")
    code, out, _ = run(capsys, *argv, "--delivered", "2025-09-01", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["due"] == "2025-10-09"
    assert data["provisional"] is False
    assert data["citation"] == "《保障中小企业款项支付条例》（2025年版）第九条第一款"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("complaint", "--jurisdiction", "110000", "--received", "2025-09-26"),
            "未知的行政区划代码",
        ),
        (("complaint", "--jurisdiction", "220100", "--received", "2025-13-01"), "应当是日期"),
        (
            ("complaint", "--jurisdiction", "220100", "--received", "2025-09-26", "--pack", "x"),
            "没有名为“x”的规则包",
        ),
        (("arrears-transfer", "--accepted", "2025-05-30"), "及时"),
        (
            ("payment", "--buyer", "large", "--signed", "2024-07-01", "--delivered", "2025-08-01"),
            "合同约定的付款期限",
        ),
        (("payment", "--buyer", "agency", "--signed", "2025-07-01"), "需要交付日期"),
    ],
)
def test_deadline_bad_input_exits_2(capsys, argv, message):
    code, out, err = run(capsys, "deadline", *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_deadline_interest(capsys):
    argv = ("deadline", "interest", "--amount", "100000", "--due", "2025-10-31")
    code, out, _ = run(capsys, *argv, "--paid", "2025-12-30", "--signed", "2025-07-01")
    assert code == 0
    assert "逾期利息：3000.00元" in out


def test_procurement_commands(capsys, tmp_path):
    bids = tmp_path / "bids.yaml"
    bids.write_text(
        "bids:\n"
        "  - {supplier: 甲公司, price: 1000000, size: large}\n"
        "  - {supplier: 乙公司, price: 1100000, size: small}\n",
        encoding="utf-8",
    )
    where = ("--jurisdiction", "220100", "--on", "2025-06-01")
    code, out, _ = run(
        capsys, "procurement", "evaluate", *where, "--kind", "goods", "--bids", str(bids),
        "--rate", "0.15", "--json",
    )  # fmt: skip
    data = json.loads(out)
    assert code == 0
    assert [b["supplier"] for b in data["bids"]] == ["乙公司", "甲公司"]
    assert data["bids"][0]["evaluated_price"] == "935000.00"

    code, out, _ = run(capsys, "procurement", "ranges", *where, "--kind", "works")
    assert code == 0 and "3%—5%" in out

    code, out, _ = run(
        capsys, "procurement", "reserve", *where, "--budget", "1000", "--reserved", "300",
        "--small-micro", "180",
    )  # fmt: skip
    assert code == 0 and "结论：符合" in out


def test_procurement_bad_input_exits_2(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("bids: [{supplier: 甲}]\n", encoding="utf-8")
    where = ("--jurisdiction", "430000", "--on", "2025-06-01", "--kind", "goods")
    code, _, err = run(capsys, "procurement", "evaluate", *where, "--bids", str(bad))
    assert code == 2 and "投标文件应为 YAML 或 JSON" in err
    code, _, err = run(capsys, "procurement", "evaluate", *where, "--bids", str(tmp_path / "no"))
    assert code == 2 and "找不到投标文件" in err
