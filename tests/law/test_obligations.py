"""The register of obligations: bearers, modalities, actions, time limits, items, exports, CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from huiqi.cli import main
from huiqi.law import bundled, parse_text
from huiqi.law.numerals import int_to_cn
from huiqi.law.obligations import (
    Modality,
    build_register,
    extract,
    find_time_limit,
    parse_bearer,
    register_for,
)
from huiqi.law.obligations.export import (
    BEARER_HEADERS,
    HEADERS,
    SHEETS,
    csv_bytes,
    to_json,
    to_xlsx,
)

CHANGCHUN = "220100-sme-promotion-2025-04-03"
PAYMENT = "cn-sme-payment-regulation-2025-03-17"


def _duties(doc_id: str, node: str):
    return [ob for ob in extract(bundled().document(doc_id), doc_id=doc_id) if ob.node == node]


def test_changchun_43_complaints_within_twenty_working_days():
    (ob,) = _duties(CHANGCHUN, "art_43/para_1")
    assert ob.modality is Modality.MUST
    assert ob.bearer.parts == (
        "市人民政府有关部门",
        "县（市）区人民政府有关部门",
        "行业协会",
        "商会",
    )
    assert (ob.time_limit.value, ob.time_limit.unit) == (20, "工作日")
    assert ob.time_limit.trigger == "收到投诉、举报"
    assert ob.citation == "《长春市促进中小企业发展条例》第四十三条第一款"
    assert ob.action.endswith("并进行书面答复")


def test_payment_25_transfer_in_ten_working_days_result_in_thirty_days():
    (transfer,) = _duties(PAYMENT, "art_25/para_1")
    assert transfer.bearer.text == "受理投诉部门"
    assert (transfer.time_limit.value, transfer.time_limit.unit, transfer.time_limit.trigger) == (
        10,
        "工作日",
        "正式受理",
    )
    result, extend, cap = _duties(PAYMENT, "art_25/para_2")
    assert (result.time_limit.value, result.time_limit.unit) == (30, "日")
    assert result.time_limit.trigger == "收到投诉材料"
    assert extend.modality is Modality.MAY and extend.bearer.inherited
    assert cap.modality is Modality.MUST_NOT and cap.time_limit.value == 90


def test_must_and_must_not_in_one_sentence_are_split():
    must, must_not = _duties(PAYMENT, "art_8/para_1")
    assert (must.modality, must_not.modality) == (Modality.MUST, Modality.MUST_NOT)
    assert must.action == "严格按照批准的预算执行"
    assert must_not.action == "无预算、超预算开展采购"
    assert must_not.bearer.text == "机关、事业单位" and must_not.bearer.inherited


def test_a_right_holders_bearer_is_not_given_to_a_following_prohibition():
    may, first, second = _duties(CHANGCHUN, "art_28/para_2")
    assert may.modality is Modality.MAY and may.bearer.text == "中小企业"
    assert first.bearer.text == second.bearer.text == "市、县（市）区人民政府"


def test_items_inherit_the_lead_in_duty_and_bearer():
    obs = [
        ob
        for ob in extract(bundled().document("430000-sme-measures-2021"), doc_id="x")
        if ob.node.startswith("art_11/para_1/")
    ]
    assert len(obs) == 7
    assert {ob.bearer.text for ob in obs} == {"各类金融机构"}
    assert all(ob.bearer.inherited and ob.modality is Modality.MUST for ob in obs)


def test_prohibition_lists_and_content_lists():
    lib = bundled()
    shenzhen = extract(lib.document("440300-sme-promotion-draft"))
    items = [ob for ob in shenzhen if ob.node.startswith("art_77/para_1/item_")]
    assert len(items) == 7 and all(ob.modality is Modality.MUST_NOT for ob in items)
    assert not [ob for ob in shenzhen if ob.node.startswith("art_6/para_1/item_")]
    changchun = extract(lib.document(CHANGCHUN))
    assert not [ob for ob in changchun if ob.article == "art_44"]  # penalties, not duties


def test_exceptions_are_kept_apart_from_the_action():
    (ob,) = _duties(PAYMENT, "art_12/para_1")
    assert ob.modality is Modality.MUST_NOT
    assert ob.exception == "法律、行政法规另有规定"
    assert "除外" not in ob.action
    first, _ = _duties(PAYMENT, "art_13/para_1")
    assert first.exception.startswith("依法设立的投标保证金")


@pytest.mark.parametrize(
    ("phrase", "parts"),
    [
        ("市、县（市）区人民政府", ("市人民政府", "县（市）区人民政府")),
        ("机关、事业单位和大型企业", ("机关", "事业单位", "大型企业")),
        ("县级以上人民政府工业和信息化主管部门", ("县级以上人民政府工业和信息化主管部门",)),
        ("财政、人力资源和社会保障部门", ("财政部门", "人力资源和社会保障部门")),
        ("市场监督管理、商务等部门", ("市场监督管理部门", "商务部门")),
        ("行业协会、商会", ("行业协会", "商会")),
        ("金融机构", ("金融机构",)),
        ("县级以上人民政府及其有关部门", ("县级以上人民政府", "县级以上人民政府有关部门")),
    ],
)
def test_bearer_lists_are_split_into_parts(phrase, parts):
    bearer = parse_bearer(phrase)
    assert bearer is not None and bearer.text == phrase
    assert bearer.parts == parts


@pytest.mark.parametrize(
    "text", ["付款期限", "中小企业发展专项资金", "创办小型微型企业的", "对中小企业"]
)
def test_phrases_that_name_no_party_are_not_bearers(text):
    assert parse_bearer(text) is None


@given(st.integers(1, 999), st.sampled_from(["工作日", "日", "个月"]), st.booleans())
def test_time_limits_read_chinese_and_arabic_numerals(n, unit, chinese):
    number = int_to_cn(n) if chinese else str(n)
    counter = "个" if unit == "工作日" and chinese else ""
    limit = find_time_limit(f"并自收到申请材料之日起{number}{counter}{unit}内作出决定")
    assert limit is not None
    assert (limit.value, limit.unit, limit.trigger) == (n, unit, "收到申请材料")


def test_a_trigger_without_zi():
    limit = find_time_limit("受理部门应当收到投诉之日起十个工作日内转交")
    assert (limit.value, limit.unit, limit.trigger) == (10, "工作日", "收到投诉")
    assert limit.text == "收到投诉之日起十个工作日内"


def test_time_limits_by_date_and_by_reference():
    assert find_time_limit("于每年3月31日前将…公开").unit == "日期"
    ref = find_time_limit("并在法律法规规定的时间内予以调查")
    assert (ref.unit, ref.value) == ("依规定", None)
    assert find_time_limit("按照每日利率万分之五支付逾期利息") is None


def test_every_duty_quotes_its_sentence_and_cites_an_existing_node():
    lib = bundled()
    total = 0
    for entry, doc in lib.documents():
        for ob in extract(doc, doc_id=entry.id, title=entry.display_title):
            total += 1
            assert doc.find(ob.node) is not None
            assert ob.citation.startswith("《")
            assert all(part in ob.sentence for part in ob.action.split("，") if part)
    assert total > 500


def test_register_groups_by_party_and_filters():
    register = register_for(PAYMENT)
    groups = register.by_bearer()
    assert "大型企业" in groups and "机关" in groups
    joint = [ob for ob in groups["大型企业"] if ob.bearer.text == "机关、事业单位和大型企业"]
    assert joint and all(ob in groups["机关"] for ob in joint)
    assert all(ob.modality is Modality.MUST_NOT for ob in register.select(modality="must_not"))
    assert register.select(bearer="受理投诉部门", modality=Modality.MUST)


def test_register_of_an_uploaded_text():
    doc = parse_text(
        "第一条　市人民政府应当在十五个工作日内答复。\n第二条　鼓励金融机构为中小企业提供服务。\n"
    )
    register = build_register(doc, title="试行办法")
    first, second = register.obligations
    assert first.time_limit.value == 15 and first.citation == "《试行办法》第一条第一款"
    assert second.modality is Modality.ENCOURAGED and second.bearer.text == "金融机构"


def test_csv_has_a_bom_and_chinese_headers():
    register = register_for(CHANGCHUN)
    data = csv_bytes(register)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(table[0]) == HEADERS
    assert len(table) == len(register.obligations) + 1
    by = list(csv.reader(io.StringIO(csv_bytes(register, by="bearer").decode("utf-8-sig"))))
    assert tuple(by[0]) == BEARER_HEADERS


def test_xlsx_has_a_sheet_per_view_with_frozen_headers():
    register = register_for(PAYMENT)
    wb = load_workbook(io.BytesIO(to_xlsx(register)))
    assert wb.sheetnames == list(SHEETS)
    for name in SHEETS:
        assert wb[name].freeze_panes == "A2"
    assert tuple(c.value for c in wb[SHEETS[0]][1]) == HEADERS
    assert wb[SHEETS[0]].max_row == len(register.obligations) + 1
    assert tuple(c.value for c in wb[SHEETS[1]][1]) == BEARER_HEADERS


def test_json_lists_obligations_and_groups():
    register = register_for(PAYMENT)
    data = json.loads(to_json(register))
    assert data["doc"] == PAYMENT and len(data["obligations"]) == len(register.obligations)
    assert {"bearer", "bearer_parts", "modality", "action", "time_limit", "citation"} <= set(
        data["obligations"][0]
    )
    grouped = json.loads(to_json(register, by="bearer"))
    assert "受理投诉部门" in grouped["bearers"]


def test_cli_unknown_document_exits_2_in_chinese(capsys):
    assert main(["law", "obligations", "no-such-doc"]) == 2
    assert "既不是可读取的文件" in capsys.readouterr().err


def test_cli_xlsx_requires_an_output_file(capsys):
    assert main(["law", "obligations", PAYMENT, "--format", "xlsx"]) == 2
    assert "-o" in capsys.readouterr().err


def test_cli_writes_csv_xlsx_and_json(tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["law", "obligations", PAYMENT, "--format", "xlsx", "-o", str(out)]) == 0
    assert load_workbook(out).sheetnames == list(SHEETS)
    out_csv = tmp_path / "r.csv"
    assert (
        main(
            [
                "law",
                "obligations",
                CHANGCHUN,
                "--format",
                "csv",
                "--by",
                "bearer",
                "-o",
                str(out_csv),
            ]
        )
        == 0
    )
    assert out_csv.read_bytes().startswith("\ufeff归并主体".encode())
    capsys.readouterr()
    assert main(["law", "obligations", CHANGCHUN, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["doc"] == CHANGCHUN


def test_cli_reads_a_column_of_a_comparison_file(capsys):
    from importlib import resources

    path = resources.files("huiqi.law").joinpath("corpus", "hunan-comparison-2020.txt")
    assert main(["law", "obligations", str(path)]) == 2
    assert "#1" in capsys.readouterr().err
    assert main(["law", "obligations", f"{path}#2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["obligations"]
