"""The policy model and the example pack: every policy loads, cites provisions that exist in
the library, round-trips its criteria through the text form, and shows illustrative amounts as
such; a pack file that breaks the format names the file, the policy and the field."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from huiqi.law import bundled
from huiqi.rules.citations import CitationKind
from huiqi.rules.criteria import from_json, parse, render, to_json
from huiqi.rules.jurisdictions import lineage
from huiqi.rules.policies import (
    ILLUSTRATIVE_NOTE,
    Amount,
    AmountKind,
    BenefitKind,
    Mode,
    PolicyError,
    Window,
    bundled_policies,
    load_policies,
    load_text,
)

PACK = bundled_policies()
IDS = [p.id for p in PACK]


def test_the_pack_has_about_thirty_policies_with_unique_ids():
    assert 30 <= len(PACK) <= 40
    assert len(set(IDS)) == len(IDS)


def test_the_pack_mixes_modes_kinds_and_jurisdictions():
    assert set(Counter(p.mode for p in PACK)) == set(Mode)
    assert set(Counter(p.benefit.kind for p in PACK)) == set(BenefitKind)
    assert {p.jurisdiction for p in PACK} == {"cn", "220100", "430000", "440300"}


@pytest.mark.parametrize("policy", PACK, ids=IDS)
def test_every_legal_basis_resolves_to_a_node_of_its_lineage(policy):
    library = bundled()
    allowed = {j.code for j in lineage(policy.jurisdiction)}
    assert policy.basis
    for citation in policy.basis:
        assert citation.kind is CitationKind.LAW
        assert citation.node is not None
        assert library.document(citation.source).find(citation.node) is not None
        assert library.get(citation.source).jurisdiction.code in allowed


@pytest.mark.parametrize("policy", PACK, ids=IDS)
def test_every_criteria_round_trips_through_the_text_and_json_forms(policy):
    assert parse(render(policy.criteria)) == policy.criteria
    assert from_json(to_json(policy.criteria)) == policy.criteria
    assert parse(policy.criteria_text) == policy.criteria


@pytest.mark.parametrize("policy", PACK, ids=IDS)
def test_amounts_the_law_does_not_state_are_marked_wherever_shown(policy):
    benefit = policy.benefit
    if benefit.amount is None:
        assert not benefit.illustrative
        assert ILLUSTRATIVE_NOTE not in benefit.text
        return
    # The corpus states no sums for these benefits: every amount of the pack is an example.
    assert benefit.illustrative
    assert ILLUSTRATIVE_NOTE in benefit.text
    assert ILLUSTRATIVE_NOTE in policy.to_dict()["benefit"]["text"]


def test_drafts_are_cited_as_drafts():
    draft = next(p for p in PACK if p.id == "cc-draft-startup-subsidy")
    assert draft.draft_basis
    assert draft.basis[0].text == "《长春市促进中小企业发展条例（征求意见稿）》第三十一条第二款"
    adopted = next(p for p in PACK if p.id == "cc-zjtx-support")
    assert not adopted.draft_basis
    assert adopted.basis[0].text == "《长春市促进中小企业发展条例》第二十五条第二款"


def test_content_hash_fingerprints_the_content_not_the_spelling():
    policy = PACK[0]
    assert len(policy.content_hash) == 16
    assert replace(policy).content_hash == policy.content_hash
    changed = replace(policy, criteria=parse("企业规模 属于 微型"))
    assert changed.content_hash != policy.content_hash
    spaced = load_text(_pack(criteria="企业规模   属于 小型 、微型"), "a.yaml")[0]
    plain = load_text(_pack(criteria="企业规模 属于 小型、微型"), "a.yaml")[0]
    assert spaced.content_hash == plain.content_hash
    assert replace(plain, version=2).content_hash != plain.content_hash


def test_amounts_render_and_estimate():
    rate = Amount(AmountKind.RATE, Decimal(10), "rd_expense", Decimal(100))
    assert rate.text == "研发费用的10%，最高100万元"
    assert rate.estimate({"rd_expense": Decimal(260)}) == Decimal(26)
    assert rate.estimate({"rd_expense": Decimal(5000)}) == Decimal(100)
    assert rate.estimate({}) == Decimal(100)
    assert Amount(AmountKind.UP_TO, Decimal(3), per="年").text == "每年最高3万元"
    assert Amount(AmountKind.FIXED, Decimal("0.3"), per="人").text == "每人0.3万元"


def test_windows():
    from datetime import date

    window = Window(date(2026, 1, 1), date(2026, 12, 31))
    assert window.is_open(date(2026, 1, 1)) and window.is_open(date(2026, 12, 31))
    assert not window.is_open(date(2027, 1, 1))
    assert Window().text == "长期"
    assert Window(date(2025, 5, 1)).text == "2025-05-01 起"


def test_load_a_file_and_a_directory(tmp_path: Path):
    (tmp_path / "one.yaml").write_text(_pack(), "utf-8")
    assert [p.id for p in load_policies(tmp_path / "one.yaml")] == ["x-test"]
    assert [p.id for p in load_policies(tmp_path)] == ["x-test"]
    (tmp_path / "two.yaml").write_text(_pack(), "utf-8")
    with pytest.raises(PolicyError, match=r"two\.yaml：政策编号“x-test”与 .*one\.yaml 重复"):
        load_policies(tmp_path)
    with pytest.raises(PolicyError, match="找不到政策文件"):
        load_policies(tmp_path / "none.yaml")
    (tmp_path / "gbk.yaml").write_bytes("政策".encode("gbk"))
    with pytest.raises(PolicyError, match=r"gbk\.yaml：不是 UTF-8 编码的文本"):
        load_policies(tmp_path / "gbk.yaml")


def _pack(**fields: str) -> str:
    body = {
        "id": "x-test",
        "version": "1",
        "title": "测试政策",
        "department": "长春市工业和信息化局",
        "mode": "申报",
        "benefit": "{kind: 资金, description: 测试, amount: {fixed: 1}, illustrative: true}",
        "criteria": "企业规模 属于 小型、微型",
        "basis": "[{doc: 220100-sme-promotion-2025-04-03, at: art_25/para_2}]",
    }
    body.update(fields)
    lines = "\n".join(f"    {k}: {v}" for k, v in body.items() if v != "")
    return f'jurisdiction: "220100"\npolicies:\n  - {lines.lstrip()}\n'


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"windows": "长期"}, "政策“x-test”：未知的字段 windows"),
        ({"criteria": ""}, "政策“x-test”的 criteria：缺少此字段"),
        ({"criteria": "企业规模 属于"}, "政策“x-test”的 criteria：第1行第8列"),
        ({"criteria": "营收 ≥ 100万元"}, "未知的事实“营收”"),
        ({"criteria": "成立日期 ≥ 100"}, "只能与日期"),
        ({"mode": "自动"}, "的 mode：应当是 免申即享、直达快享、申报 之一"),
        ({"benefit": "{kind: 奖金, description: x}"}, "的 benefit.kind：应当是 资金、税费"),
        ({"benefit": "{kind: 资金, description: x, amount: {fixed: 1}}"}, "必须写明 illustrative"),
        ({"benefit": "{kind: 资金, description: x, illustrative: true}"}, "没有金额"),
        (
            {
                "benefit": "{kind: 资金, description: x, amount: {rate: 5, of: employees}, illustrative: true}"
            },
            "benefit.amount.of：比例须以万元计的事实为基数",
        ),
        (
            {
                "benefit": "{kind: 资金, description: x, amount: {fixed: 1, up_to: 2}, illustrative: true}"
            },
            "须写且只写一项",
        ),
        (
            {"benefit": "{kind: 资金, description: x, amount: {fixed: -1}, illustrative: true}"},
            "benefit.amount.fixed：应当是正数",
        ),
        ({"basis": "[{doc: 220100-sme-promotion-2025-04-03, at: art_99}]"}, "没有节点“art_99”"),
        ({"basis": "[{doc: no-such-doc, at: art_1}]"}, "未收录的文件“no-such-doc”"),
        (
            {"basis": "[{doc: 430000-sme-measures-2021-01-01, at: art_15/para_2}]"},
            "basis 第1条：《湖南省实施〈中华人民共和国中小企业促进法〉办法》第十五条第二款属于 430000",
        ),
        ({"basis": "[]"}, "basis：应当是至少一条引用"),
        ({"window": "{from: 2026-12-31, to: 2026-01-01}"}, "window：截止日 2026-01-01 早于开始日"),
        ({"window": "常年"}, "window：应当写作“长期”"),
        ({"id": "CC_1"}, "“CC_1”的 id：应当由小写字母"),
        ({"version": "0"}, "version：应当是正整数"),
        ({"jurisdiction": '"999999"'}, "未知的行政区划代码“999999”"),
    ],
)
def test_bad_packs_name_the_file_the_policy_and_the_field(fields, message):
    with pytest.raises(PolicyError) as info:
        load_text(_pack(**fields), "policies/test.yaml")
    text = str(info.value)
    assert text.startswith("policies/test.yaml：")
    assert message in text


def test_bad_yaml_and_shapes():
    with pytest.raises(PolicyError, match=r"a\.yaml：第3行第1列：不是有效的 YAML"):
        load_text("policies:\n  - {id: [\n", "a.yaml")
    with pytest.raises(PolicyError, match="应当有 policies 列表"):
        load_text("jurisdiction: cn\n", "a.yaml")
    with pytest.raises(PolicyError, match="第1项政策：应当是一个映射"):
        load_text("policies: [x]\n", "a.yaml")
    with pytest.raises(PolicyError, match="政策编号“x-test”重复"):
        load_text(_pack() + _pack().split("policies:\n", 1)[1], "a.yaml")


@pytest.mark.parametrize("policy", bundled_policies(), ids=lambda p: p.id)
def test_entry_round_trip(policy):
    """The platform stores a policy as its pack entry: JSON and back gives the same policy,
    with the same content hash (the rule-set version results keep)."""
    import json

    from huiqi.rules.policies import load_entry

    entry = json.loads(json.dumps(policy.to_entry(), ensure_ascii=False))
    again = load_entry(entry)
    assert again == policy
    assert again.content_hash == policy.content_hash


def test_entry_error_names_the_field():
    from huiqi.rules.policies import PolicyError, load_entry

    entry = bundled_policies()[0].to_entry()
    entry["criteria"] = "企业规模 属于 巨型"
    with pytest.raises(PolicyError) as caught:
        load_entry(entry)
    assert caught.value.field == "criteria"
    assert "criteria" in str(caught.value)


def test_dishonesty_conditions_cite_a_good_faith_provision():
    """A policy that excludes 失信 enterprises cites a provision about 诚信 / 信用 (the pack
    once cited 长春 第七条第二款, which is about media publicity)."""
    library = bundled()
    for policy in bundled_policies():
        if "失信" not in policy.criteria_text:
            continue
        texts = [
            library.document(c.source).find(c.node).full_text()
            for c in policy.basis
            if c.kind is CitationKind.LAW
        ]
        assert any("诚信" in t or "信用" in t for t in texts), policy.id
