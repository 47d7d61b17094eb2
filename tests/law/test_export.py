"""Export formats on the bundled corpus: JSON schema 1, Akoma Ntoso 3.0, LawRefBook Markdown
(read back by the parser) and the standalone HTML page."""

from __future__ import annotations

import copy
import json
from collections import Counter
from importlib import resources

import jsonschema
import lxml.html
import pytest
from lxml import etree

from huiqi.law import Comparison, Document, Kind, bundled, parse_file, parse_text
from huiqi.law.export import (
    FORMATS,
    comparison_to_dict,
    document_to_dict,
    to_akn,
    to_html,
    to_json,
    to_markdown,
)
from huiqi.law.export.akn import AKN_NS, eid
from huiqi.law.model import DIVISION_KINDS

from .corpus import corpus_path

LIB = bundled()
ENTRIES = LIB.entries
NS = {"a": AKN_NS}


def _ids(entries):
    return [e.id for e in entries]


def _schema() -> dict:
    text = (
        resources.files("huiqi.law").joinpath("schema", "document-1.schema.json").read_text("utf-8")
    )
    return json.loads(text)


def _closed(node):
    """The schema with every declared object closed, so an undeclared key fails the tests."""
    if isinstance(node, dict):
        if "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _closed(value)
    elif isinstance(node, list):
        for value in node:
            _closed(value)
    return node


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(_closed(copy.deepcopy(schema)))


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    parsed = parse_file(corpus_path("hunan-comparison-2020.txt"))
    assert isinstance(parsed, Comparison)
    return parsed


def _articles(doc: Document) -> list[tuple]:
    """What a round trip must keep: numbers, headings, paragraph texts, items and sub-items."""
    return [
        (
            a.id,
            a.num,
            a.suffix,
            a.heading,
            [
                (p.text, [(i.text, [s.text for s in i.children]) for i in p.items])
                for p in a.paragraphs
            ],
        )
        for a in doc.articles
    ]


def _divisions(doc: Document) -> list[tuple[str, str | None]]:
    return [(n.id, n.heading) for n in doc.walk() if n.kind in DIVISION_KINDS]


def _count(doc: Document, *kinds: Kind) -> int:
    return sum(1 for n in doc.walk() if n.kind in kinds)


# --- JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_json_of_every_document_is_valid_schema_1(entry, validator):
    doc = LIB.document(entry.id)
    data = json.loads(to_json(doc, entry))
    validator.validate(data)
    assert data["schema"] == 1 and data["kind"] == "document"
    assert data["id"] == entry.id
    assert data["jurisdiction"] == {
        "code": entry.jurisdiction.code,
        "name": entry.jurisdiction.name,
    }
    assert [a["num"] for a in data["articles"]] == [a.num for a in doc.articles]
    assert sum(len(a["paragraphs"]) for a in data["articles"]) == _count(doc, Kind.PARAGRAPH)
    for article in data["articles"]:
        for para in article["paragraphs"]:
            assert para["items"] == [i["text"] for i in para["items_detail"]]
            assert not any(item.startswith("（") for item in para["items"])
    validator.validate(document_to_dict(doc))


def test_json_without_entry_has_empty_manifest_keys(validator):
    data = document_to_dict(LIB.document("430000-sme-measures-2021-01-01"))
    validator.validate(data)
    assert data["id"] is None and data["jurisdiction"] is None and data["dates"] == {}


def test_json_is_utf8_text_indented_by_two():
    text = to_json(LIB.document("430000-sme-measures-2021-01-01"))
    assert "第十一条" in text and "\\u" not in text
    assert text.startswith('{\n  "schema": 1,')


def test_json_hunan_article_11_has_two_paragraphs_and_seven_items():
    entry = LIB.get("430000-sme-measures-2021-01-01")
    data = document_to_dict(LIB.document(entry.id), entry)
    assert data["dates"] == {"effective": "2021-01-01"}
    assert len(data["articles"]) == 36
    art = next(a for a in data["articles"] if a["num"] == 11)
    assert art["chapter"] is None and art["heading"] is None
    first, second = art["paragraphs"]
    assert first["text"].endswith("采取以下措施支持中小企业发展：")
    assert len(first["items"]) == 7 and first["items"][0].startswith("增加小型微型企业融资规模")
    assert first["items_detail"][6]["label"] == "（七）"
    assert second["items"] == []


def test_json_chapter_of_each_article_matches_its_division():
    data = document_to_dict(LIB.document("220100-sme-promotion-2025-04-03"))
    chapters = {a: d["num"] for d in data["divisions"] for a in d["articles"]}
    assert [d["heading"] for d in data["divisions"]][:2] == ["总则", "资金支持"]
    assert all(a["chapter"] == chapters[a["id"]] for a in data["articles"])
    assert data["articles"][0]["chapter"] == 1 and data["articles"][-1]["chapter"] == 7


def test_json_civil_code_gives_part_chapter_and_section():
    data = document_to_dict(LIB.document("cn-civil-code-general-2020-05-28"))
    art = next(a for a in data["articles"] if a["num"] == 26)
    assert (art["part"], art["chapter"], art["section"]) == (1, 2, 2)
    section = next(d for d in data["divisions"] if d["id"] == "part_1/chp_2/sec_2")
    assert section["parent"] == "part_1/chp_2" and section["articles"][0] == "art_26"
    assert next(a for a in data["articles"] if a["num"] == 1)["section"] is None


def test_json_comparison_keeps_versions_rows_and_notes(comparison, validator):
    data = json.loads(to_json(comparison))
    validator.validate(data)
    assert data["kind"] == "comparison" and "articles" not in data
    assert data["labels"] == ["修订草案", "二次审议稿"]
    earlier, later = data["versions"]
    assert (len(earlier["articles"]), len(later["articles"])) == (38, 35)
    assert earlier["stage_note"] == "修订草案" and later["stage_note"] == "二次审议稿"
    rows = [(r["earlier"], r["later"]) for r in data["rows"]]
    assert rows[:1] == [([1], [1])]
    assert ([], [10]) in rows and ([10], [11]) in rows and ([13], []) in rows
    assert data["events"] == [{"kind": "prepared", "date": "2020-09-16", "text": "2020年9月16日"}]
    art21 = next(a for a in later["articles"] if a["num"] == 21)
    assert art21["notes"] == [
        {
            "kind": "origin",
            "text": "原第十三条第一款",
            "node": "art_21/para_1",
            "scope": None,
            "refs": [{"version": "earlier", "node": "art_13/para_1"}],
        }
    ]
    assert comparison_to_dict(comparison)["rows"] == data["rows"]


def test_schema_is_open_for_additions_but_declares_every_key_written(validator):
    data = document_to_dict(LIB.document("430000-sme-measures-2021-01-01"))
    data["articles"][0]["extra"] = 1
    jsonschema.validate(data, _schema())
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)
    data["articles"][0].pop("extra")
    data["articles"][0]["chapter"] = "一"
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(data)


# --- Akoma Ntoso ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_akn_is_well_formed_with_unique_eids_and_the_whole_tree(entry):
    doc = LIB.document(entry.id)
    root = etree.fromstring(to_akn(doc, entry))
    assert root.tag == f"{{{AKN_NS}}}akomaNtoso"
    eids = [e.get("eId") for e in root.iter() if e.get("eId") is not None]
    assert len(eids) == len(set(eids))
    body = root.find("a:act/a:body", NS)

    def count(tag: str) -> int:
        return len(body.findall(f".//a:{tag}", NS))

    assert count("article") == len(doc.articles)
    assert count("paragraph") == _count(doc, Kind.PARAGRAPH)
    assert count("point") == _count(doc, Kind.ITEM, Kind.SUBITEM)
    assert count("chapter") == _count(doc, Kind.CHAPTER)
    assert count("part") == _count(doc, Kind.PART)
    assert count("section") == _count(doc, Kind.SECTION)
    assert [a.get("eId") for a in body.iterfind(".//a:article", NS)] == [
        eid(a.id) for a in doc.articles
    ]
    assert [n.text for n in body.iterfind(".//a:article/a:num", NS)] == [
        a.label for a in doc.articles
    ]
    ident = root.find("a:act/a:meta/a:identification", NS)
    assert ident.get("source") == "#huiqi"
    assert root.find("a:act/a:meta/a:references/a:TLCOrganization[@eId='huiqi']", NS) is not None
    for level in ("FRBRWork", "FRBRExpression", "FRBRManifestation"):
        for tag in ("FRBRthis", "FRBRuri", "FRBRdate", "FRBRauthor"):
            assert ident.find(f"a:{level}/a:{tag}", NS) is not None, (level, tag)
    country = ident.find("a:FRBRWork/a:FRBRcountry", NS).get("value")
    assert country == ("cn" if entry.jurisdiction.code == "cn" else f"cn-{entry.jurisdiction.code}")
    assert ident.find("a:FRBRExpression/a:FRBRlanguage", NS).get("language") == "zho"
    assert root.find("a:act/a:preface/a:p/a:docTitle", NS).text == doc.title


def test_akn_identity_of_the_changchun_regulation():
    entry = LIB.get("220100-sme-promotion-2025-04-03")
    root = etree.fromstring(to_akn(LIB.document(entry.id), entry))
    act = root.find("a:act", NS)
    assert act.get("name") == "local-regulation"
    work = "/akn/cn-220100/act/local-regulation/2024-12-26/sme-promotion"
    ident = act.find("a:meta/a:identification", NS)
    assert ident.find("a:FRBRWork/a:FRBRuri", NS).get("value") == work
    assert ident.find("a:FRBRExpression/a:FRBRuri", NS).get("value") == f"{work}/zho@2025-04-03"
    date = ident.find("a:FRBRExpression/a:FRBRdate", NS)
    assert (date.get("date"), date.get("name")) == ("2025-04-03", "promulgated")
    assert ident.find("a:FRBRWork/a:FRBRauthor", NS).get("href") == "#issuer"
    issuer = act.find("a:meta/a:references/a:TLCOrganization[@eId='issuer']", NS)
    assert issuer.get("showAs") == "长春市人民代表大会常务委员会"
    chapter = act.find("a:body/a:chapter", NS)
    assert (chapter.get("eId"), chapter.findtext("a:num", namespaces=NS)) == ("chp_1", "第一章")
    assert chapter.findtext("a:heading", namespaces=NS) == "总则"


def test_akn_undated_draft_says_its_date_is_unknown():
    entry = LIB.get("440300-sme-promotion-draft")
    root = etree.fromstring(to_akn(LIB.document(entry.id), entry))
    date = root.find(".//a:FRBRExpression/a:FRBRdate", NS)
    assert (date.get("date"), date.get("name")) == ("9999-12-31", "unknown")
    assert root.find(".//a:FRBRExpression/a:FRBRuri", NS).get("value").endswith("/zho@")
    assert root.find("a:act/a:preface/a:p/a:docStage", NS).text == "征求意见稿"


def test_akn_items_are_points_in_a_list_with_the_lead_in_as_intro():
    doc = LIB.document("430000-sme-measures-2021-01-01")
    root = etree.fromstring(to_akn(doc))
    para = root.find(".//a:paragraph[@eId='art_11__para_1']", NS)
    lst = para.find("a:list", NS)
    assert lst.get("eId") == "art_11__para_1__list_1"
    assert lst.findtext("a:intro/a:p", namespaces=NS) == doc.article(11).paragraphs[0].text
    points = lst.findall("a:point", NS)
    assert [p.get("eId") for p in points] == [
        f"art_11__para_1__list_1__point_{n}" for n in range(1, 8)
    ]
    assert points[0].findtext("a:num", namespaces=NS) == "（一）"
    assert points[0].findtext("a:content/a:p", namespaces=NS).startswith("增加小型微型企业")


def test_akn_editorial_notes_live_in_meta_and_are_referenced(comparison):
    earlier = comparison.versions[0]
    root = etree.fromstring(to_akn(earlier))
    notes = root.findall("a:act/a:meta/a:notes/a:note", NS)
    assert [n.findtext("a:p", namespaces=NS) for n in notes] == [
        a.text for node in earlier.walk() for a in node.notes
    ]
    refs = root.findall(".//a:body//a:noteRef", NS)
    assert sorted(r.get("href") for r in refs) == sorted(f"#{n.get('eId')}" for n in notes)
    moved = root.find(".//a:paragraph[@eId='art_13__para_1']/a:content/a:p", NS)
    assert moved.text == earlier.find("art_13/para_1").text
    assert moved.find("a:noteRef", NS).get("href") == "#note_2"
    assert notes[1].get("class") == "moved"


def test_akn_eid_of_nested_nodes():
    assert eid("chp_2") == "chp_2"
    assert eid("part_1/chp_2/sec_3") == "part_1__chp_2__sec_3"
    assert eid("art_10_1") == "art_10_1"
    assert eid("art_12/para_1/item_3") == "art_12__para_1__list_1__point_3"
    assert eid("art_12/para_1/item_3/sub_2") == "art_12__para_1__list_1__point_3__list_1__point_2"


# --- Markdown -------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_markdown_reads_back_to_the_same_document(entry):
    doc = LIB.document(entry.id)
    back = parse_text(to_markdown(doc, entry))
    assert isinstance(back, Document)
    assert _articles(back) == _articles(doc)
    assert _divisions(back) == _divisions(doc)
    assert back.title == doc.title
    assert back.stage_note == doc.stage_note
    assert set(entry.dates.items()) <= {(e.kind, e.on) for e in back.events}
    assert not [w for w in back.warnings if w.is_numbering_problem]


def test_markdown_layout_follows_lawrefbook():
    entry = LIB.get("cn-sme-promotion-law-2017-09-01")
    text = to_markdown(LIB.document(entry.id), entry)
    head, body = text.split("\n\n<!-- INFO END -->\n\n")
    assert head.split("\n\n") == [
        "# 中华人民共和国中小企业促进法",
        "2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过",
        "2017年9月1日第十二届全国人民代表大会常务委员会第二十九次会议修订",
    ]
    assert body.startswith("## 第一章 总则\n\n第一条 为了改善中小企业经营环境")
    assert text.endswith("\n") and "\n\n\n" not in text


def test_markdown_puts_items_and_headings_on_their_own_lines():
    entry = LIB.get("430000-sme-measures-second-reading-2020-09-16")
    lines = to_markdown(LIB.document(entry.id), entry).split("\n\n")
    assert lines[1] == "（二次审议稿）"
    assert (
        "第一条【立法依据】 根据《中华人民共和国中小企业促进法》和其他有关法律、行政法规，结合本省实际，制定本办法。"
        in lines
    )
    start = next(i for i, line in enumerate(lines) if line.startswith("第十一条"))
    assert [line[:3] for line in lines[start + 1 : start + 3]] == ["（一）", "（二）"]


def test_markdown_adds_the_manifest_dates_when_the_text_has_no_header():
    entry = LIB.get("430000-sme-measures-2021-01-01")
    text = to_markdown(LIB.document(entry.id), entry)
    assert text.startswith(
        "# 湖南省实施《中华人民共和国中小企业促进法》办法\n\n2021年1月1日 施行\n\n"
    )
    assert parse_text(text).event("effective").isoformat() == "2021-01-01"


def test_markdown_of_a_civil_code_part_keeps_parts_and_sections():
    entry = LIB.get("cn-civil-code-general-2020-05-28")
    text = to_markdown(LIB.document(entry.id), entry)
    assert "\n\n# 第一编 总则\n\n## 第一章 基本规定\n\n" in text
    assert "\n\n### 第一节 民事权利能力和民事行为能力\n\n" in text


# --- HTML -------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=_ids(ENTRIES))
def test_html_is_a_standalone_page_with_every_article(entry):
    doc = LIB.document(entry.id)
    text = to_html(doc, entry)
    assert text.startswith("<!DOCTYPE html>\n")
    page = lxml.html.document_fromstring(text)
    assert page.get("lang") == "zh-CN"
    assert page.find("head/meta[@charset='utf-8']") is not None
    assert page.findtext("head/title") == doc.title
    assert not page.xpath("//script | //link | //img | //iframe | //@src")
    assert all(href.startswith("#") for href in page.xpath("//a/@href"))
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    for article in doc.articles:
        element = page.get_element_by_id(article.id)
        assert element.tag == "article"
        assert article.label in element.text_content()
    for para in (n for n in doc.walk() if n.kind is Kind.PARAGRAPH):
        assert para.text in page.get_element_by_id(para.id).text_content()
    targets = {href[1:] for href in page.xpath("//nav//a/@href")}
    assert targets and targets <= set(ids)
    assert entry.jurisdiction.name in page.findtext(".//dl[@class='meta']/dd")


def test_html_metadata_and_contents_of_the_changchun_regulation():
    entry = LIB.get("220100-sme-promotion-2025-04-03")
    page = lxml.html.document_fromstring(to_html(LIB.document(entry.id), entry))
    meta = dict(zip(page.xpath("//dl/dt/text()"), page.xpath("//dl/dd/text()"), strict=True))
    assert meta["阶段"] == "通过" and meta["类别"] == "地方性法规"
    assert meta["施行日期"] == "2025年5月1日" and meta["通过日期"] == "2024年12月26日"
    toc = page.xpath("//nav/ol/li")
    assert len(toc) == 7
    assert toc[0].text_content() == "第一章 总则（第一条至第七条）"
    assert page.get_element_by_id("chp_1").tag == "section"


def test_html_shows_editorial_notes_next_to_the_article(comparison):
    page = lxml.html.document_fromstring(to_html(comparison.versions[1]))
    notes = page.get_element_by_id("art_21").xpath(".//ul[@class='notes']/li/text()")
    assert notes == ["第二十一条第一款：原第十三条第一款"]
    assert page.findtext(".//p[@class='stage']") == "（二次审议稿）"


# --- Escaping and the format registry -------------------------------------------------------

_SYNTHETIC = "第一条 甲方<script>alert(1)</script>应当向A&B公司支付款项。\n第二条 “x<y”且z>1。\n"


def test_every_format_escapes_markup_in_the_text():
    doc = parse_text(_SYNTHETIC)
    assert isinstance(doc, Document)
    doc.title = "关于<测试>&说明的条例"
    text = doc.article(1).paragraphs[0].text
    assert "<script>" in text and "A&B" in text

    raw = to_html(doc)
    assert "&lt;script&gt;" in raw and "A&amp;B" in raw and "<script>" not in raw
    page = lxml.html.document_fromstring(raw)
    assert not page.xpath("//script")
    assert page.findtext("head/title") == doc.title
    assert page.get_element_by_id("art_1/para_1").text_content() == text

    root = etree.fromstring(to_akn(doc))
    assert (
        root.findtext(".//a:paragraph[@eId='art_1__para_1']/a:content/a:p", namespaces=NS) == text
    )
    assert root.findtext(".//a:docTitle", namespaces=NS) == doc.title

    assert json.loads(to_json(doc))["articles"][0]["paragraphs"][0]["text"] == text
    assert _articles(parse_text(to_markdown(doc))) == _articles(doc)


def test_formats_registry_renders_a_document():
    doc = LIB.document("430000-sme-measures-2021-01-01")
    assert set(FORMATS) == {"json", "akn", "md", "html"}
    for name, fmt in FORMATS.items():
        out = fmt.render(doc)
        assert isinstance(out, bytes if name == "akn" else str) and out
    assert [name for name, fmt in FORMATS.items() if fmt.takes_comparison] == ["json"]


def test_a_document_without_title_or_entry_still_exports():
    doc = parse_text(_SYNTHETIC)
    assert doc.title is None
    assert to_markdown(doc).startswith("#\n\n<!-- INFO END -->\n\n第一条 ")
    assert parse_text(to_markdown(doc)).title is None
    root = etree.fromstring(to_akn(doc))
    assert root.find("a:act/a:preface", NS) is None
    assert root.find(".//a:FRBRWork/a:FRBRcountry", NS).get("value") == "cn"
    assert Counter(e.get("eId") for e in root.iter() if e.get("eId")).most_common(1)[0][1] == 1
    assert lxml.html.document_fromstring(to_html(doc)).findtext("head/title") == "未命名文件"
