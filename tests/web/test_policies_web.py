"""The policy library's pages: the public list (filters, search, pages, Excel), a policy's page,
and the officials' pages (permissions, the criteria builder, errors next to the fields)."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from huiqi.policies import builder, services
from huiqi.policies.listing import COLUMNS
from huiqi.policies.models import PolicyRecord, PolicyVersion, Status
from huiqi.rules.criteria import admitted, parse, render
from huiqi.rules.policies import ILLUSTRATIVE_NOTE, bundled_policies, load_entry

from .test_policies import *  # noqa: F403 - the policy library's fixtures
from .test_policies import pack_entry

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _slugs(html: str) -> list[str]:
    return re.findall(r'href="/policies/([a-z0-9-]+)/"', html)


def _all_slugs(client: Client, params: dict[str, str]) -> list[str]:
    out, page = [], 1
    while True:
        html = client.get(reverse("policies:list"), {**params, "page": page}, **HTMX).content
        out += _slugs(html.decode())
        if "下一页" not in html.decode():
            return out
        page += 1


# the public list --------------------------------------------------------------------------


def test_the_list_shows_published_policies_by_page(client, pack):
    page = client.get(reverse("policies:list"))
    html = page.content.decode()
    assert page.status_code == 200 and "<h1>惠企政策清单</h1>" in html
    assert "共 36 项政策，第 1/2 页" in html
    assert len(_slugs(html)) == 20
    second = client.get(reverse("policies:list"), {"page": 2}, **HTMX).content.decode()
    assert "<html" not in second and len(_slugs(second)) == 16
    assert set(_slugs(html)) | set(_slugs(second)) == {p.id for p in bundled_policies()}


@pytest.mark.parametrize("size", ["large", "medium", "small", "micro"])
def test_the_size_filter_keeps_policies_whose_criteria_admit_the_size(client, pack, size):
    expected = {
        p.id
        for p in bundled_policies()
        if admitted(p.criteria, "size_class") is None or size in admitted(p.criteria, "size_class")
    }
    assert set(_all_slugs(client, {"size": size})) == expected
    if size == "large":
        assert "cc-startup-loan" not in expected and "sz-draft-high-tech-tax" in expected
    if size == "micro":
        assert "cc-startup-loan" in expected


def test_the_industry_filter_follows_the_classification(client, pack):
    manufacturing = set(_all_slugs(client, {"industry": "C"}))
    division = set(_all_slugs(client, {"industry": "39"}))
    farming = set(_all_slugs(client, {"industry": "A"}))
    assert {"cc-smart-manufacturing", "hn-flexible-land", "cc-draft-scale-up-award"} <= division
    assert manufacturing == division
    assert "cc-smart-manufacturing" not in farming and "hn-flexible-land" not in farming
    assert "cn-small-micro-tax-relief" in farming  # no industry condition: every industry
    assert "hn-flexible-land" in set(_all_slugs(client, {"industry": "M"}))


def test_other_filters_and_search(client, pack):
    assert set(_all_slugs(client, {"q": "担保"})) >= {"cc-financing-guarantee"}
    auto = set(_all_slugs(client, {"mode": "auto_grant", "kind": "tax"}))
    assert auto == {
        p.id
        for p in bundled_policies()
        if p.mode.value == "auto_grant" and p.benefit.kind.value == "tax"
    }
    department = "湖南省工业和信息化厅"
    by_department = set(_all_slugs(client, {"department": department}))
    assert by_department == {p.id for p in bundled_policies() if p.department == department}
    bad = client.get(reverse("policies:list"), {"size": "giant"}).content.decode()
    assert 'aria-invalid="true"' in bad and 'id="id_size_errors"' in bad
    assert "共 36 项政策" in bad  # the bad filter is left out, not applied


def test_the_excel_export_matches_the_list(client, pack):
    params = {"size": "small", "industry": "C"}
    response = client.get(reverse("policies:export"), params)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert "惠企政策清单" in unquote(disposition.split("filename*=UTF-8''")[1])
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(name for name, _ in COLUMNS)
    assert rows[0][:4] == ("政策编号", "名称", "主管部门", "适用地区")
    assert sheet.freeze_panes == "A2"
    assert [r[0] for r in rows[1:]] == _all_slugs(client, params)
    by_id = {r[0]: r for r in rows[1:]}
    zjtx = by_id["cc-zjtx-support"]
    assert zjtx[3] == "长春市（220100）" and zjtx[5] == "免申即享"
    assert ILLUSTRATIVE_NOTE in zjtx[6]
    assert "《长春市促进中小企业发展条例》第二十五条第二款" in zjtx[8]
    assert zjtx[10] == 1 and zjtx[11] is not None


def test_a_policy_page(client, pack):
    html = client.get(reverse("policies:detail", args=["cc-zjtx-support"])).content.decode()
    assert ILLUSTRATIVE_NOTE in html and "第1版" in html and "发布" in html
    assert "满足下列任一条件" in html and "不是 失信" in html
    article = reverse("library:article", args=["220100-sme-promotion-2025-04-03", "art_25/para_2"])
    assert f'href="{article}"' in html
    assert client.get(reverse("policies:detail", args=["no-such-policy"])).status_code == 404


# officials' pages: permissions ------------------------------------------------------------


def test_only_staff_reach_the_officials_pages(client, pack, enterprise_user, changchun_official):
    manage = reverse("policies:manage")
    assert client.get(manage).status_code == 302
    assert reverse("accounts:login") in client.get(manage)["Location"]
    client.force_login(enterprise_user)
    assert client.get(manage).status_code == 403
    assert client.get(reverse("policies:create")).status_code == 403
    assert client.get(reverse("policies:edit", args=["cc-zjtx-support"])).status_code == 403
    client.force_login(changchun_official)
    page = client.get(manage).content.decode()
    assert "cc-zjtx-support" in page and "hn-zjtx-fund" not in page and "cn-" not in page


def test_an_official_of_another_jurisdiction_cannot_edit(
    client, pack, changchun_official, hunan_official
):
    draft = services.create_draft(changchun_official, pack_entry("cc-zjtx-support", "cc-draft-x"))
    client.force_login(hunan_official)
    published = reverse("policies:edit", args=["cc-zjtx-support"])
    assert client.get(published).status_code == 403  # public policy, not theirs
    assert client.get(reverse("policies:edit", args=["cc-draft-x"])).status_code == 404
    publish = reverse("policies:publish", args=["cc-draft-x", 1])
    assert client.post(publish).status_code == 404
    withdraw = reverse("policies:withdraw", args=["cc-zjtx-support", 1])
    assert client.post(withdraw).status_code == 403
    assert client.get(reverse("policies:detail", args=["cc-draft-x"])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert PolicyVersion.objects.published().filter(record__slug="cc-zjtx-support").exists()


def test_publish_and_withdraw_need_post_with_csrf(pack, changchun_official):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(changchun_official)
    withdraw = reverse("policies:withdraw", args=["cc-zjtx-support", 1])
    assert browser.get(withdraw).status_code == 405
    assert browser.post(withdraw).status_code == 403
    edit = browser.get(reverse("policies:edit", args=["cc-zjtx-support"]))
    token = edit.cookies["csrftoken"].value
    response = browser.post(withdraw, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not PolicyVersion.objects.published().filter(record__slug="cc-zjtx-support").exists()


# officials' pages: the form ---------------------------------------------------------------


def _form(entry: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The policy form's fields for an entry, criteria given as text."""
    benefit = entry["benefit"]
    amount = benefit.get("amount") or {}
    kind = next((k for k in ("fixed", "up_to", "rate") if k in amount), "")
    modes = {"免申即享": "auto_grant", "直达快享": "fast_track", "申报": "apply"}
    kinds = {"资金": "funds", "税费": "tax", "融资": "financing", "用地": "land"}
    data = {
        "slug": entry["id"],
        "title": entry["title"],
        "jurisdiction": entry["jurisdiction"],
        "department": entry["department"],
        "mode": modes[entry["mode"]],
        "benefit_kind": kinds[benefit["kind"]],
        "benefit_description": benefit["description"],
        "amount_kind": kind,
        "amount_value": amount.get(kind, ""),
        "amount_per": amount.get("per", ""),
        "basis": [f"{b['doc']}|{b['at']}" for b in entry["basis"]],
        "criteria": entry["criteria"],
        "criteria_synced": "",
    }
    if benefit.get("illustrative"):
        data["illustrative"] = "on"
    data.update(extra)
    return data


def _builder_fields(root: builder.Group) -> dict[str, Any]:
    """The fields a browser posts for a builder."""
    out: dict[str, Any] = {}

    def visit(node: builder.Row | builder.Group) -> None:
        out[f"{node.path}-type"] = node.kind
        if node.negate:
            out[f"{node.path}-not"] = "on"
        if isinstance(node, builder.Group):
            out[f"{node.path}-op"] = node.op
            out[f"{node.path}-n"] = node.n
            for item in node.items:
                visit(item)
        else:
            out.update(
                {
                    f"{node.path}-fact": node.fact,
                    f"{node.path}-op": node.op,
                    f"{node.path}-value": node.value,
                    f"{node.path}-values": node.values,
                    f"{node.path}-on": node.on,
                    f"{node.path}-from": node.start,
                    f"{node.path}-to": node.end,
                }
            )

    visit(root)
    return out


def test_the_builder_round_trip(client, changchun_official):
    """Rows posted from the builder give the criteria text, which the loader accepts."""
    client.force_login(changchun_official)
    rows = {
        "c-type": "group",
        "c-op": "and",
        "c-n": "2",
        "c.0-type": "row",
        "c.0-fact": "size_class",
        "c.0-values": ["small", "micro"],
        "c.1-type": "group",
        "c.1-op": "or",
        "c.1-n": "2",
        "c.1.0-type": "row",
        "c.1.0-fact": "holds",
        "c.1.0-value": "high_tech",
        "c.1.1-type": "row",
        "c.1.1-fact": "rd_ratio",
        "c.1.1-op": "ge",
        "c.1.1-value": "3",
        "c.2-type": "row",
        "c.2-fact": "dishonest",
        "c.2-value": "no",
        "c.3-type": "row",
        "c.3-fact": "industry",
        "c.3-value": "C、i",
        "c.3-not": "on",
    }
    expected = (
        "企业规模 属于 小型、微型 且 （持有 高新技术企业 或 研发费用占营业收入比例 ≥ 3%） "
        "且 不是 失信 且 不是 所属行业 属于 C、I"
    )
    response = client.post(reverse("policies:criteria"), {**rows, "builder": ""}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert f">{expected}</textarea>" in html
    assert f'name="criteria_synced" value="{expected}"' in html
    entry = pack_entry("cc-zjtx-support", criteria=expected)
    assert render(load_entry({**entry, "version": 1}).criteria) == expected

    # a builder button: a row added to the sub-group
    added = client.post(reverse("policies:criteria"), {**rows, "builder": "add:c.1"}, **HTMX)
    assert 'name="c.1.2-type" value="row"' in added.content.decode()
    # a text that parses re-renders the builder
    text = "企业规模 ≤ 中型 或 至少满足 2 项（持有 高新技术企业；失信；营业收入 ≥ 10万元）"
    synced = client.post(
        reverse("policies:criteria"), {**rows, "builder": "text", "criteria": text}, **HTMX
    ).content.decode()
    assert 'name="c-op"' in synced and '<option value="or" selected>' in synced
    assert 'name="c.1.2-value" value="10"' in synced
    # a row with a bad value shows its error next to it and leaves the text as it was
    broken = {**rows, "c.1.1-value": "三", "criteria": expected, "criteria_synced": expected}
    html = client.post(reverse("policies:criteria"), broken, **HTMX).content.decode()
    assert 'id="crit-c_1_1-error"' in html and "请填写数字" in html
    assert f">{expected}</textarea>" in html


def test_creating_a_policy_with_the_builder(client, changchun_official):
    client.force_login(changchun_official)
    tree = parse("企业规模 属于 小型、微型 且 成立年限 < 3年 且 不是 失信")
    data = {
        **_form(pack_entry("cc-draft-rent-subsidy", "cc-new-rent"), criteria=""),
        **_builder_fields(builder.from_criteria(tree)),
    }
    response = client.post(reverse("policies:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = PolicyVersion.objects.get(record__slug="cc-new-rent")
    assert version.policy.criteria == tree
    assert (version.status, version.number, version.created_by) == (
        Status.DRAFT,
        1,
        changchun_official,
    )
    assert version.sizes == ["small", "micro"]


def test_form_errors_are_shown_next_to_their_fields(client, changchun_official):
    client.force_login(changchun_official)
    entry = pack_entry("cc-zjtx-support", "cc-errors")
    data = _form(entry, criteria="企业规模 属于 小型 且 （失信")
    html = client.post(reverse("policies:create"), data).content.decode()
    errors = html.split('id="id_criteria_errors"')[1].split("</div>")[0]
    assert "第1行" in errors and "右括号" in errors
    assert 'aria-invalid="true"' in html.split('id="id_criteria"')[1].split(">")[0]

    outside = _form(entry, basis=["430000-sme-measures-2021-01-01|art_5"])
    html = client.post(reverse("policies:create"), outside).content.decode()
    errors = html.split('id="id_basis_errors"')[1].split("</ul>")[0]
    assert "不在本政策的适用地区 220100 及其上级之内" in errors
    assert "《湖南省实施〈中华人民共和国中小企业促进法〉办法》第五条" in html  # kept in the list

    national = _form(entry, jurisdiction="cn")
    html = client.post(reverse("policies:create"), national).content.decode()
    assert 'id="id_jurisdiction_errors"' in html
    assert not PolicyRecord.objects.exists()


def test_editing_a_published_policy_creates_the_next_version(client, pack, changchun_official):
    client.force_login(changchun_official)
    edit = reverse("policies:edit", args=["cc-smart-manufacturing"])
    page = client.get(edit).content.decode()
    assert "将创建第2版" in page and "保存为第2版草稿" in page
    old = PolicyVersion.objects.get(record__slug="cc-smart-manufacturing")
    entry = {**old.entry, "title": "智能制造改造支持（第二版）"}
    data = _form(entry, slug="", criteria_synced=old.entry["criteria"])
    data.pop("jurisdiction")  # fixed after creation: not posted
    response = client.post(edit, data)
    assert response.status_code == 302
    versions = dict(PolicyVersion.objects.filter(record=old.record).values_list("number", "status"))
    assert versions == {1: Status.PUBLISHED, 2: Status.DRAFT}
    page = client.get(edit).content.decode()
    assert "正在编辑第2版草稿" in page and "发布第2版" in page
    response = client.post(reverse("policies:publish", args=["cc-smart-manufacturing", 2]))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED
    detail = client.get(reverse("policies:detail", args=["cc-smart-manufacturing"]))
    assert "智能制造改造支持（第二版）" in detail.content.decode()
    first = client.get(reverse("policies:detail", args=["cc-smart-manufacturing"]), {"version": 1})
    assert "已被新版本取代" in first.content.decode()


def test_the_legal_basis_picker(client, changchun_official):
    client.force_login(changchun_official)
    search = reverse("policies:basis_search")
    html = client.get(search, {"basis_q": "专精特新", "jurisdiction": "220100"}).content.decode()
    assert "《长春市促进中小企业发展条例》第二十五条" in html
    assert "湖南省" not in html  # another province's provisions are not offered
    item = client.get(
        reverse("policies:basis_item"),
        {"doc": "220100-sme-promotion-2025-04-03", "at": "art_25/para_2"},
    ).content.decode()
    assert 'value="220100-sme-promotion-2025-04-03|art_25/para_2"' in item
    assert "第二十五条第二款" in item
