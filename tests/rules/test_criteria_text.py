"""The criteria language: text and JSON round trips, the grammar's forms, the error messages."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings

from huiqi.errors import UserError
from huiqi.rules.criteria import (
    And,
    AtLeast,
    Compare,
    CriteriaError,
    CriteriaSyntaxError,
    Dishonest,
    DistrictIn,
    FirstTime,
    Founder,
    Holds,
    IndustryIn,
    InvalidValue,
    Not,
    Op,
    Or,
    SizeIn,
    TypeMismatch,
    UnknownFact,
    from_json,
    leaves,
    parse,
    render,
    to_json,
)
from huiqi.rules.size import SizeClass

from .criteria_strategies import criteria_trees

EXAMPLE = (
    "企业规模 属于 小型、微型 且 所属行业 属于 C 且 "
    "（持有 专精特新中小企业 或 研发费用占营业收入比例 ≥ 3%） 且 不是 失信"
)


@settings(max_examples=300, deadline=None)
@given(criteria_trees)
def test_text_round_trip(tree):
    assert parse(render(tree)) == tree


@settings(max_examples=300, deadline=None)
@given(criteria_trees)
def test_json_round_trip(tree):
    data = to_json(tree)
    assert from_json(data) == tree
    assert from_json(json.dumps(data, ensure_ascii=False)) == tree


def test_example_reads_as_written():
    tree = parse(EXAMPLE)
    assert tree == And(
        (
            SizeIn((SizeClass.SMALL, SizeClass.MICRO)),
            IndustryIn(("C",)),
            Or((Holds("zjtx"), Compare("rd_ratio", Op.GE, Decimal(3)))),
            Not(Dishonest()),
        )
    )
    assert render(tree) == EXAMPLE


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("营业收入>=2000万元且从业人员<300", "营业收入 ≥ 2000万元 且 从业人员 < 300人"),
        ("revenue >= 2000", "营业收入 ≥ 2000万元"),
        ("所属行业 以 C 开头", "所属行业 属于 C"),
        ("企业规模 = 小型企业", "企业规模 属于 小型"),
        ("企业规模 < 大型", "企业规模 ≤ 中型"),
        ("企业规模 属于 微型、小型、中型", "企业规模 ≤ 中型"),
        ("企业规模 > 微型", "企业规模 ≥ 小型"),
        ("企业规模 ≠ 中型", "企业规模 属于 大型、小型、微型"),
        ("创办人为退役军人", "创办人 属于 退役军人"),
        ("不是 列入严重失信主体名单", "不是 失信"),
        (
            "失信 或 持有 高新技术企业 且 持有 科技型中小企业",
            "失信 或 （持有 高新技术企业 且 持有 科技型中小企业）",
        ),
        (
            "（失信 或 持有 高新技术企业）且 持有 科技型中小企业",
            "（失信 或 持有 高新技术企业） 且 持有 科技型中小企业",
        ),
        ("成立年限 < 3 年", "成立年限 < 3年"),
        ("研发费用占营业收入比例 ≥ 3.5％", "研发费用占营业收入比例 ≥ 3.5%"),
        ("于2024-12-31持有专精特新“小巨人”企业", "于 2024-12-31 持有 专精特新“小巨人”企业"),
        (
            "至少满足 2 项(持有 高新技术企业; 首次上市 在 2024-01-01 至 2024-12-31 期间; 失信)",
            "至少满足 2 项（持有 高新技术企业；首次上市 在 2024-01-01 至 2024-12-31 期间；失信）",
        ),
        ("成立日期 ≥ 2020-1-5", "成立日期 ≥ 2020-01-05"),
    ],
)
def test_accepted_spellings_render_canonically(text, canonical):
    assert render(parse(text)) == canonical
    assert parse(canonical) == parse(text)


def test_every_condition_kind_has_a_text_form():
    tree = And(
        (
            Compare("employees", Op.LT, Decimal(300)),
            Compare("founded", Op.GE, date(2020, 1, 1)),
            Compare("years_since_founding", Op.LE, Decimal(3)),
            SizeIn((SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO), date(2024, 12, 31)),
            IndustryIn(("C", "6511")),
            DistrictIn(("220100",)),
            Holds("high_tech"),
            FirstTime("zjtx", date(2024, 1, 1), date(2024, 12, 31)),
            FirstTime("bond", date(2024, 1, 1), date(2024, 12, 31)),
            Founder(("graduate", "veteran")),
            Not(Dishonest()),
        )
    )
    assert render(tree) == (
        "从业人员 < 300人 且 成立日期 ≥ 2020-01-01 且 成立年限 ≤ 3年 且 "
        "于 2024-12-31 企业规模 ≤ 中型 且 所属行业 属于 C、6511 且 所在地区 属于 220100 且 "
        "持有 高新技术企业 且 首次认定 专精特新中小企业 在 2024-01-01 至 2024-12-31 期间 且 "
        "首次发债 在 2024-01-01 至 2024-12-31 期间 且 创办人 属于 高校毕业生、退役军人 且 "
        "不是 失信"
    )
    assert parse(render(tree)) == tree
    assert len(leaves(tree)) == 11


def test_nested_combinations_keep_their_grouping():
    a, b, c = Dishonest(), Holds("zjtx"), Holds("tech_sme")
    for tree in (
        And((And((a, b)), c)),
        Or((a, Or((b, c)))),
        Not(And((a, b))),
        Not(Not(a)),
        AtLeast(1, (Or((a, b)), And((b, c)))),
        Not(AtLeast(2, (a, b, c))),
    ):
        assert parse(render(tree)) == tree


# errors ---------------------------------------------------------------------------------


def _error(text: str, kind: type[CriteriaError]) -> CriteriaError:
    with pytest.raises(kind) as caught:
        parse(text)
    assert isinstance(caught.value, UserError)
    return caught.value


def test_syntax_error_points_at_the_position_with_a_caret():
    error = _error("企业规模 属于 小型 且 （失信 或 持有 高新技术企业", CriteriaSyntaxError)
    assert (error.line, error.column) == (1, 29)
    message = str(error)
    assert message.startswith("第1行第29列：此处应当是右括号“）”，而不是文本结尾")
    line, caret = message.splitlines()[1:]
    assert line == "  企业规模 属于 小型 且 （失信 或 持有 高新技术企业"
    # the caret sits under the end: wide characters count two columns
    assert caret == " " * (2 + 49) + "^"


def test_syntax_error_on_a_later_line():
    error = _error("失信\n或 持有 高新技术企业 且\n且 失信", CriteriaSyntaxError)
    assert (error.line, error.column) == (3, 1)
    assert "此处应当是一个条件（如“营业收入 ≥ 2000万元”“持有 高新技术企业”），而不是“且”" in str(
        error
    )
    assert str(error).splitlines()[1:] == ["  且 失信", "  ^"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "条件文本为空"),
        ("失信 失信", "此处应当是“且”“或”或文本结尾，而不是“失信”"),
        ("营业收入", "“营业收入”之后应当是比较运算符（= ≠ < ≤ > ≥），而不是文本结尾"),
        ("营业收入 ≥", "此处应当是数字或日期"),
        ("所属行业 ≥ 3", "此处应当是“属于”或“以 … 开头”"),
        ("至少满足 两 项（失信；失信）", "“至少满足”之后应当是项数（整数）"),
        ("至少满足 1 项（失信，失信）", "此处应当是“；”或右括号“）”"),
        (
            "创办人 属于 博士",
            "此处应当是创办人类别（高校毕业生、退役军人、返乡创业人员、失业人员、残疾人）",
        ),
        ("于 2024-12-31 失信", "“于 日期”之后应当是“企业规模”或“持有”"),
        ("（失信", "此处应当是右括号“）”"),
    ],
)
def test_syntax_errors(text, message):
    assert message in str(_error(text, CriteriaSyntaxError))


def test_unknown_fact_names_it_and_suggests():
    error = _error("营业收入 ≥ 2000万元 且 营收 ≥ 100", UnknownFact)
    assert error.column == 17
    assert "未知的事实“营收”" in str(error)
    assert "是否指：营业收入" in str(error)
    assert "未知的事实“turnover”" in str(_error("turnover > 1", UnknownFact))
    assert "此处应当是资质名称" in str(_error("持有 五星企业", UnknownFact))


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("成立日期 ≥ 3", 8, "“成立日期”是日期，只能与日期（如 2024-01-01）比较，而不是数字"),
        ("营业收入 ≥ 2020-01-01", 8, "“营业收入”是数值（万元），只能与数字比较，而不是日期"),
        ("从业人员 ≥ 20万元", 10, "“从业人员”的单位是“人”，而不是“万元”"),
        ("企业名称 = 3", 1, "“企业名称”不能用比较运算符"),
        ("year = 2024-01-01", 8, "“财务数据所属年度”是数值（年），只能与数字比较，而不是日期"),
    ],
)
def test_type_mismatch(text, column, message):
    error = _error(text, TypeMismatch)
    assert error.column == column
    assert message in str(error)


def test_type_mismatch_in_the_ast():
    with pytest.raises(TypeMismatch, match="请写“所属行业 属于 C、65”"):
        Compare("industry", Op.GE, Decimal(3))
    with pytest.raises(TypeMismatch, match="请写“失信”"):
        Compare("dishonest", Op.EQ, Decimal(1))
    with pytest.raises(TypeMismatch, match="只能与日期"):
        Compare("founded", Op.EQ, Decimal(1))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("所属行业 属于 C、Z9", "中没有行业代码“Z”"),
        ("所在地区 属于 2201", "行政区划代码应当是六位数字"),
        ("成立日期 ≥ 2023-02-29", "日期“2023-02-29”不存在"),
        ("首次上市 在 2024-02-01 至 2024-01-01 期间", "终止日 2024-01-01 早于起始日 2024-02-01"),
        ("至少满足 3 项（失信；持有 高新技术企业）", "应当在 1 到 2（所列条件数）之间，而不是 3"),
        ("至少满足 0 项（失信；持有 高新技术企业）", "而不是 0"),
    ],
)
def test_invalid_values(text, message):
    assert message in str(_error(text, InvalidValue))


def test_invalid_nodes_cannot_be_built():
    with pytest.raises(UnknownFact):
        Compare("turnover", Op.GE, Decimal(1))
    with pytest.raises(InvalidValue):
        Compare("revenue", Op.GE, Decimal(-1))
    with pytest.raises(InvalidValue):
        And((Dishonest(),))
    with pytest.raises(InvalidValue):
        SizeIn(())
    with pytest.raises(UnknownFact):
        Holds("five_stars")
    with pytest.raises(InvalidValue):
        Founder(("astronaut",))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "nope"}, "条件 JSON $：未知的条件类型“nope”"),
        ({"kind": "and", "items": [{"kind": "dishonest"}, {"kind": "x"}]}, "$.items[1]"),
        ({"kind": "compare", "fact": "revenue", "op": "ge"}, "缺少或无效的字段"),
        ({"kind": "compare", "fact": "founded", "op": "ge", "value": "3"}, "YYYY-MM-DD"),
        ({"kind": "industry", "codes": [391]}, "中没有行业代码“391”"),
        ("{not json", "条件的 JSON 无法解析"),
        ([], "应当是带 kind 的对象"),
    ],
)
def test_bad_json(data, message):
    with pytest.raises(CriteriaError) as caught:
        from_json(data)
    assert message in str(caught.value)
