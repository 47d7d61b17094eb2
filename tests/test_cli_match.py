"""``huiqi match``: the done-when check of issue 4 (an enterprise missing its revenue is told
which policies are possibly eligible and that revenue is the fact to provide), the JSON list,
and bad input (exit 2, a Chinese message naming the field)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from huiqi.cli import main

ROOT = Path(__file__).resolve().parent.parent
MISSING_REVENUE = str(ROOT / "examples" / "enterprise-missing-revenue.json")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["match", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "enterprise.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return str(path)


def test_missing_revenue_is_explained(capsys):
    code, out, _ = run(capsys, "--enterprise", MISSING_REVENUE, "--on", "2026-06-01")
    assert code == 0
    assert "适用地区：长春市 → 吉林省 → 全国" in out
    assert "可能符合（2 项）" in out
    assert "待补充的事实" in out
    assert (
        "营业收入（万元）　政府共享数据，由主管部门调取，不要求企业重复提供；涉及 2 项政策" in out
    )
    possibly = out.split("可能符合（2 项）")[1].split("不符合（")[0]
    assert "中小企业研究开发费用补助" in possibly
    assert "首次达到规模以上工业企业奖励" in possibly
    assert "? 无法判断：研发费用占营业收入比例 ≥ 3%（缺少营业收入（万元））" in possibly
    assert "需补充：营业收入（万元）由长春市科学技术局通过政府数据共享获取" in possibly
    assert "依据：《长春市促进中小企业发展条例》第二十一条第三款" in possibly
    assert "研发费用的10%，最高100万元（示例金额，非法规规定）" in possibly


def test_missing_revenue_as_json(capsys):
    code, out, _ = run(capsys, "--enterprise", MISSING_REVENUE, "--on", "2026-06-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list)
    possibly = {m["policy"]["id"]: m for m in data if m["status"] == "possibly"}
    assert set(possibly) == {"cc-rd-expense-subsidy", "cc-draft-scale-up-award"}
    for m in possibly.values():
        assert m["to_obtain"] == [{"fact": "revenue", "label": "营业收入", "source": "shared"}]
        assert m["to_provide"] == []
        assert m["status_label"] == "可能符合"
    statuses = [m["status"] for m in data]
    assert statuses == sorted(statuses, key=["eligible", "possibly", "not"].index)
    first = data[0]
    assert set(first) == {
        "policy", "status", "status_label", "summary", "next_step", "conditions",
        "facts_used", "to_provide", "to_obtain", "benefit", "citations",
    }  # fmt: skip
    assert first["benefit"]["illustrative"] is True
    assert first["citations"][0]["text"].startswith("《长春市促进中小企业发展条例")


def test_jurisdiction_and_policies_options(capsys, tmp_path):
    facts = {"district": "430102", "industry": "3421", "employees": 150, "revenue": 12000}
    code, out, _ = run(capsys, "--enterprise", write(tmp_path, facts), "--on", "2026-06-01")
    assert code == 0
    assert "适用地区：湖南省 → 全国" in out
    assert "cc-" not in out
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "jurisdiction: cn\npolicies:\n  - {id: only-one, version: 1, title: 唯一的政策, "
        "department: 测试部门, mode: 免申即享, benefit: {kind: 服务, description: 测试}, "
        "criteria: 从业人员 ≥ 100人, basis: [{doc: cn-sme-promotion-law-2017-09-01, at: art_9}]}\n",
        "utf-8",
    )
    code, out, _ = run(
        capsys, "--enterprise", write(tmp_path, facts), "--policies", str(pack),
        "--jurisdiction", "cn", "--on", "2026-06-01",
    )  # fmt: skip
    assert code == 0
    assert "政策库共 1 项" in out and "唯一的政策" in out


@pytest.mark.parametrize(
    ("content", "argv", "message"),
    [
        ({"revenu": 100}, (), "字段“revenu”不是事实目录"),
        ({"employees": "十二"}, (), "字段“employees”（从业人员）应当是数字（人）"),
        ({"founded": "2024/03/01"}, (), "字段“founded”（成立日期）应当是日期"),
        (
            {"uscc": "91220106MA17Q4K8X6"},
            (),
            "字段“uscc”（统一社会信用代码）“91220106MA17Q4K8X6”无效",
        ),
        ({"uscc": "9122"}, (), "应当是18位"),
        ({"industry": "9999"}, (), "字段“industry”（所属行业）应当是《国民经济行业分类》"),
        ({"district": "2201"}, (), "字段“district”（所在地区）应当是六位行政区划代码"),
        ({"size_class": "small"}, (), "字段“size_class”（企业规模）由"),
        ({"dishonest": "否"}, (), "字段“dishonest”（列入严重失信主体名单）应当是 true 或 false"),
        ({"revenue": -5}, (), "应当是非负的数字（万元）"),
        ([1, 2], (), "应当是以事实名称为键的对象"),
        ({"industry": "3421"}, (), "不知道企业所在地区"),
        ({"district": "430102"}, ("--jurisdiction", "220100"), "不在 220100 长春市 范围内"),
        ({"district": "220102"}, ("--jurisdiction", "999999"), "未知的行政区划代码“999999”"),
        ({"district": "220102"}, ("--on", "明天"), "--on 应当是日期"),
        ({"district": "220102"}, ("--policies", "/no/such/pack.yaml"), "找不到政策文件"),
    ],
)
def test_bad_input_exits_2_naming_the_field(capsys, tmp_path, content, argv, message):
    code, out, err = run(capsys, "--enterprise", write(tmp_path, content), *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：")
    assert message in err


def test_unreadable_enterprise_files_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "--enterprise", str(tmp_path / "none.json"))
    assert code == 2 and "找不到企业文件" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"revenue": 1,', "utf-8")
    code, _, err = run(capsys, "--enterprise", str(broken))
    assert code == 2 and "不是有效的 JSON：第1行第15列" in err
