"""The regulation library in the platform: loading the bundled corpus, the pages and the
JSON API (长春 条例 第三十五条: publish, classify and search laws and policies)."""

from __future__ import annotations

import copy
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from huiqi.audit.models import AuditEntry
from huiqi.law import Library, bundled
from huiqi.library import search as db_search
from huiqi.library.models import LawDocument, Provision, SearchEntry, Status
from huiqi.library.services import load_bundled, load_library

CHANGCHUN = "220100-sme-promotion-2025-04-03"
CHANGCHUN_DRAFT = "220100-sme-promotion-draft"
ART_43 = (
    "市、县（市）区人民政府有关部门、行业协会、商会应当公布联系方式，依法受理中小企业的投诉、"
    "举报，并在收到投诉、举报之日起二十个工作日内予以调查处理，并进行书面答复。"
)
HUNAN = (
    "430000-sme-measures-revision-draft",
    "430000-sme-measures-second-reading-2020-09-16",
    "430000-sme-measures-2021-01-01",
)


def _state() -> list[tuple]:
    """Every row of the library's tables, for comparing before and after a load."""
    docs = list(LawDocument.objects.values_list("id", "content_hash", "status", "latest"))
    provisions = list(Provision.objects.order_by("pk").values_list("pk", "doc_id", "node", "text"))
    entries = list(SearchEntry.objects.order_by("pk").values_list("pk", "body"))
    return [docs, provisions, entries]


def _library_with(changes: dict[str, str], drop: str | None = None) -> Library:
    """The bundled library with some articles' first paragraph replaced (doc/node → text)
    and one document dropped."""
    lib = bundled()
    entries = [e for e in lib.entries if e.id != drop]
    docs = {e.id: lib.document(e.id) for e in entries}
    for key, text in changes.items():
        doc_id, node = key.split("/", 1)
        docs[doc_id] = copy.deepcopy(docs[doc_id])
        docs[doc_id].find(f"{node}/para_1").text = text
    return Library(entries, _docs=docs)


# Loading ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_from_empty_then_again_changes_nothing() -> None:
    LawDocument.objects.all().delete()
    audited = AuditEntry.objects.filter(target="library.lawdocument").count()
    first = load_bundled()
    assert (first.created, first.updated, first.unchanged, first.removed) == (10, 0, 0, 0)
    assert first.documents == 10
    assert first.articles == sum(len(d.articles) for _, d in bundled().documents()) == 646
    assert first.provisions == sum(len(list(d.walk())) for _, d in bundled().documents())
    assert SearchEntry.objects.count() == 646
    created = AuditEntry.objects.filter(target="library.lawdocument").count() - audited
    assert created == 10

    before = _state()
    second = load_bundled()
    assert (second.created, second.updated, second.unchanged, second.removed) == (0, 0, 10, 0)
    assert not second.changed
    assert _state() == before
    assert AuditEntry.objects.filter(target="library.lawdocument").count() == audited + created


@pytest.mark.usefixtures("law_library")
def test_load_library_command_reports_and_is_idempotent() -> None:
    before = _state()
    out = StringIO()
    call_command("load_library", stdout=out)
    assert "新增 0 个文件，更新 0 个，未变 10 个" in out.getvalue()
    assert "646 条" in out.getvalue()
    assert _state() == before


@pytest.mark.usefixtures("law_library")
def test_a_changed_article_replaces_that_document_only() -> None:
    others = set(Provision.objects.exclude(doc_id=CHANGCHUN).values_list("pk", flat=True))
    changed = _library_with({f"{CHANGCHUN}/art_43": "受理投诉后十五个工作日内书面答复。"})
    result = load_library(changed)
    assert (result.created, result.updated, result.unchanged, result.removed) == (0, 1, 9, 0)
    assert set(Provision.objects.exclude(doc_id=CHANGCHUN).values_list("pk", flat=True)) == others
    art = Provision.objects.get(doc_id=CHANGCHUN, node="art_43")
    assert art.full_text == "受理投诉后十五个工作日内书面答复。"
    assert LawDocument.objects.get(pk=CHANGCHUN).export["articles"][42]["paragraphs"][0][
        "text"
    ] == ("受理投诉后十五个工作日内书面答复。")
    # the index follows: the new words are found, the old ones no longer in this document
    assert [h.node for h in db_search.search("十五个工作日", doc=CHANGCHUN)] == ["art_43"]
    assert db_search.search("二十个工作日", doc=CHANGCHUN) == []
    (entry,) = AuditEntry.objects.about(LawDocument.objects.get(pk=CHANGCHUN)).filter(
        action="update"
    )
    assert entry.before["content_hash"] != entry.after["content_hash"]


@pytest.mark.usefixtures("law_library")
def test_a_removed_version_makes_the_earlier_one_current_again() -> None:
    result = load_library(_library_with({}, drop="cn-sme-payment-regulation-2025-03-17"))
    assert (result.removed, result.updated, result.documents) == (1, 1, 9)
    earlier = LawDocument.objects.get(pk="cn-sme-payment-regulation-2020-07-05")
    assert (earlier.status, earlier.latest) == (Status.CURRENT, True)
    assert db_search.search("款项", doc="cn-sme-payment-regulation-2020")[0].latest


@pytest.mark.usefixtures("law_library")
def test_a_failing_load_leaves_every_document_as_it_was(monkeypatch) -> None:
    before = _state()
    changed = _library_with(
        {f"{CHANGCHUN}/art_43": "改过的文字。", f"{HUNAN[2]}/art_1": "另一处改动。"}
    )
    from huiqi.library import services

    calls = []

    def failing_add(self, rows):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("索引写入失败")
        return original_add(self, rows)

    original_add = services.DatabaseBackend.add
    monkeypatch.setattr(services.DatabaseBackend, "add", failing_add)
    with pytest.raises(RuntimeError):
        load_library(changed)
    assert len(calls) == 2
    assert _state() == before


@pytest.mark.usefixtures("law_library")
def test_statuses_and_jurisdiction_names() -> None:
    docs = {d.id: d for d in LawDocument.objects.all()}
    assert docs[CHANGCHUN].status == Status.CURRENT
    assert docs[CHANGCHUN_DRAFT].status == Status.DRAFT
    assert docs["cn-sme-payment-regulation-2020-07-05"].status == Status.SUPERSEDED
    assert docs["cn-sme-payment-regulation-2025-03-17"].status == Status.CURRENT
    assert docs[CHANGCHUN].jurisdiction_full_name == "吉林省长春市"
    assert docs["440300-sme-promotion-draft"].jurisdiction_full_name == "广东省深圳市"
    assert docs[HUNAN[0]].jurisdiction_full_name == "湖南省"
    assert docs["cn-civil-code-general-2020-05-28"].jurisdiction_full_name == "全国"


# Pages ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("law_library")
def test_index_groups_by_jurisdiction_and_status(client) -> None:
    page = client.get(reverse("library:index")).content.decode()
    headings = re.findall(r"<h2 id=\"j-[^\"]+\">([^<]+)</h2>", page)
    assert headings == ["全国", "吉林省长春市", "广东省深圳市", "湖南省"]
    national = page[page.index(">全国<") : page.index(">吉林省长春市<")]
    assert national.index("现行有效") < national.index("已被修订")
    assert "保障中小企业款项支付条例" in national.split("已被修订")[1]
    changchun = page[page.index(">吉林省长春市<") : page.index(">广东省深圳市<")]
    assert "2025年4月3日公布" in changchun and "2025年5月1日施行" in changchun
    assert "长春市促进中小企业发展条例（征求意见稿）" in changchun.split(">草案<")[1]
    assert reverse("library:document", args=[CHANGCHUN]) in changchun


@pytest.mark.django_db
def test_index_says_when_the_library_is_not_loaded(client) -> None:
    LawDocument.objects.all().delete()
    page = client.get(reverse("library:index")).content.decode()
    assert "法规库尚未载入" in page and "load_library" in page


@pytest.mark.usefixtures("law_library")
def test_document_page_has_contents_and_anchored_articles(client) -> None:
    response = client.get(reverse("library:document", args=[CHANGCHUN]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>长春市促进中小企业发展条例</h1>" in page
    assert 'href="#chp_1"' in page and 'id="chp_1"' in page
    assert 'id="art_43"' in page and ART_43 in page
    assert reverse("library:article", args=[CHANGCHUN, "art_43"]) in page
    assert "吉林省长春市" in page and "长春市人民代表大会常务委员会" in page
    civil = client.get(reverse("library:document", args=["cn-civil-code-general-2020-05-28"]))
    assert 'href="#part_1/chp_2/sec_1"' in civil.content.decode()


@pytest.mark.usefixtures("law_library")
def test_article_page_shows_text_citation_and_versions(client) -> None:
    page = client.get(reverse("library:article", args=[CHANGCHUN, "art_43"])).content.decode()
    assert ART_43 in page
    assert "二十个工作日" in page
    assert 'value="《长春市促进中小企业发展条例》第四十三条"' in page
    assert reverse("library:article", args=[CHANGCHUN_DRAFT, "art_43"]) in page
    assert reverse("library:article", args=[CHANGCHUN, "art_42"]) in page  # previous
    assert reverse("library:article", args=[CHANGCHUN, "art_44"]) in page  # next
    draft = client.get(reverse("library:article", args=[CHANGCHUN_DRAFT, "art_43"]))
    draft_page = draft.content.decode()
    assert reverse("library:article", args=[CHANGCHUN, "art_43"]) in draft_page
    assert "《长春市促进中小企业发展条例（征求意见稿）》第四十三条" in draft_page


@pytest.mark.usefixtures("law_library")
def test_article_beyond_the_draft_has_no_counterpart(client) -> None:
    page = client.get(reverse("library:article", args=[CHANGCHUN_DRAFT, "art_80"]))
    assert "该版本无此条" in page.content.decode()


@pytest.mark.usefixtures("law_library")
def test_version_links_follow_the_chain_both_ways(client) -> None:
    page = client.get(reverse("library:article", args=[HUNAN[1], "art_5"])).content.decode()
    assert reverse("library:article", args=[HUNAN[0], "art_5"]) in page
    assert reverse("library:article", args=[HUNAN[2], "art_5"]) in page


@pytest.mark.usefixtures("law_library")
def test_deeper_node_page(client) -> None:
    url = reverse("library:article", args=[CHANGCHUN, "art_44/para_1/item_3"])
    assert url.endswith("/law/220100-sme-promotion-2025-04-03/art_44/para_1/item_3")
    page = client.get(url).content.decode()
    assert "第四十四条第一款第（三）项" in page
    assert "不履行法定职责或者义务的" in page
    assert "对中小企业设置不平等标准或者条件的" not in page  # item 1 is not shown
    assert 'value="《长春市促进中小企业发展条例》第四十四条第一款第（三）项"' in page
    assert reverse("library:article", args=[CHANGCHUN, "art_44"]) in page


@pytest.mark.usefixtures("law_library")
def test_division_node_redirects_to_its_anchor(client) -> None:
    response = client.get(reverse("library:article", args=[CHANGCHUN, "chp_2"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("library:document", args=[CHANGCHUN]) + "#chp_2"


@pytest.mark.usefixtures("law_library")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-doc"], "法规库中没有编号为“no-such-doc”的文件"),
        (["no-such-doc", "art_1"], "法规库中没有编号为“no-such-doc”的文件"),
        ([CHANGCHUN, "art_99"], "《长春市促进中小企业发展条例》中没有编号为“art_99”的条款"),
        ([CHANGCHUN, "art_43/para_9"], "中没有编号为“art_43/para_9”的条款"),
    ],
)
def test_unknown_document_or_node_is_a_chinese_404(client, args, message) -> None:
    name = "library:document" if len(args) == 1 else "library:article"
    response = client.get(reverse(name, args=args))
    assert response.status_code == 404
    assert message in response.content.decode()
    assert "返回法规库" in response.content.decode()


@pytest.mark.usefixtures("law_library")
def test_search_page_live_results(client) -> None:
    url = reverse("library:search")
    empty = client.get(url).content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in empty
    assert 'hx-get="/law/search/"' in empty and 'hx-target="#results"' in empty
    page = client.get(url, {"q": "投诉", "jurisdiction": "220100"}).content.decode()
    assert reverse("library:article", args=[CHANGCHUN, "art_43"]) in page
    assert "<mark>投诉</mark>" in page
    assert "《深圳" not in page  # filtered to 长春
    partial = client.get(url, {"q": "二十个工作日"}, headers={"HX-Request": "true"})
    text = partial.content.decode()
    assert "<html" not in text and "<mark>二十个工作日</mark>" in text
    assert "找到 1 条" in text


@pytest.mark.usefixtures("law_library")
def test_search_page_errors_next_to_the_field(client) -> None:
    url = reverse("library:search")
    page = client.get(url, {"q": "、、"}).content.decode()
    assert 'aria-invalid="true"' in page
    assert "没有汉字、字母或数字" in page
    bad = client.get(url, {"q": "投诉", "jurisdiction": "110000"}).content.decode()
    assert "没有“110000”这一选项" in bad
    partial = client.get(url, {"q": "、、"}, headers={"HX-Request": "true"}).content.decode()
    assert "检索词：" in partial and 'role="alert"' in partial
    none = client.get(url, {"q": "量子纠缠"}).content.decode()
    assert "没有找到包含“量子纠缠”的条文" in none


# API --------------------------------------------------------------------------------------


@pytest.mark.usefixtures("law_library")
def test_api_documents(client) -> None:
    docs = client.get("/api/law/documents").json()
    assert [d["id"] for d in docs] == [e.id for e in bundled().entries]
    changchun = next(d for d in docs if d["id"] == CHANGCHUN)
    assert changchun["jurisdiction"] == {
        "code": "220100",
        "name": "长春市",
        "full_name": "吉林省长春市",
    }
    assert changchun["dates"]["promulgated"] == "2025-04-03"
    assert changchun["version_of"] == CHANGCHUN_DRAFT
    assert changchun["status"] == "current" and changchun["status_label"] == "现行有效"
    draft = next(d for d in docs if d["id"] == CHANGCHUN_DRAFT)
    assert draft["later_versions"] == [CHANGCHUN]
    detail = client.get(f"/api/law/documents/{HUNAN[1]}").json()
    assert detail["versions"] == list(HUNAN)
    assert detail["export"]["schema"] == 1
    assert len(detail["export"]["articles"]) == detail["articles"] == 35


@pytest.mark.usefixtures("law_library")
def test_api_provision(client) -> None:
    body = client.get(f"/api/law/documents/{CHANGCHUN}/provisions/art_43").json()
    assert body["citation"] == "《长春市促进中小企业发展条例》第四十三条"
    assert body["full_text"] == ART_43
    assert body["children"] == ["art_43/para_1"]
    assert body["versions"] == [
        {
            "doc": CHANGCHUN_DRAFT,
            "display_title": "长春市促进中小企业发展条例（征求意见稿）",
            "status": "draft",
            "node": "art_43",
            "url": reverse("library:article", args=[CHANGCHUN_DRAFT, "art_43"]),
        }
    ]
    item = client.get(f"/api/law/documents/{CHANGCHUN}/provisions/art_44/para_1/item_3").json()
    assert item["path_label"] == "第四十四条第一款第（三）项"
    assert item["kind"] == "item" and item["text"] == "不履行法定职责或者义务的；"


@pytest.mark.usefixtures("law_library")
def test_api_not_found_in_chinese(client) -> None:
    missing = client.get("/api/law/documents/nope")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "法规库中没有编号为“nope”的文件"}
    node = client.get(f"/api/law/documents/{CHANGCHUN}/provisions/art_99")
    assert node.status_code == 404 and "art_99" in node.json()["detail"]
    division = client.get(f"/api/law/documents/{CHANGCHUN}/provisions/chp_1")
    assert division.status_code == 404


@pytest.mark.usefixtures("law_library")
def test_api_search(client) -> None:
    body = client.get("/api/law/search", {"q": "投诉", "jurisdiction": "220100", "limit": 3}).json()
    assert body["query"] == "投诉" and body["count"] == len(body["hits"]) <= 3
    first = body["hits"][0]
    assert (first["doc"], first["node"], first["article"]) == (CHANGCHUN, "art_43", 43)
    assert "«投诉»" in first["snippet_marked"] and "<mark>投诉</mark>" in first["snippet_html"]
    assert first["url"] == reverse("library:article", args=[CHANGCHUN, "art_43"])
    assert set(first) >= {"citation", "highlights", "stage", "latest", "score", "heading"}


@pytest.mark.usefixtures("law_library")
@pytest.mark.parametrize(
    ("params", "where", "text"),
    [
        ({"q": ""}, "q", "检索词为空"),
        ({"q": "  "}, "q", "检索词为空"),
        ({"q": "、、"}, "q", "没有汉字、字母或数字"),
        ({"q": "投诉", "limit": 0}, "limit", "limit 须在 1 到 100 之间"),
        ({"q": "投诉", "jurisdiction": "北京市"}, "__all__", "没有行政区划“北京市”的文件"),
        ({"q": "投诉", "stage": "施行"}, "__all__", "没有“施行”这一阶段"),
    ],
)
def test_api_search_rejects_bad_input_with_422(client, params, where, text) -> None:
    response = client.get("/api/law/search", params)
    assert response.status_code == 422
    assert text in response.json()["detail"][where][0]


@pytest.mark.usefixtures("law_library")
def test_api_is_public_and_needs_no_token(client) -> None:
    for url in ("/api/law/documents", f"/api/law/documents/{CHANGCHUN}", "/api/law/search?q=税"):
        assert client.get(url).status_code == 200, url
