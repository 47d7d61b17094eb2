"""The public pages in the browser, without an account: the policy calculator (长春 条例
第三十五条), the size self-test (《保障中小企业款项支付条例》第二十九条) and the 惠企政策清单
with its Excel export (第三十五条第二款). Results come through htmx: the page stays, only the
results change."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from huiqi.cli.demo import load_policies
from huiqi.policies.models import PolicyVersion
from huiqi.rules.criteria import Eligibility
from huiqi.rules.policies import match

from .conftest import shot


@pytest.fixture
def published(live_server) -> list[PolicyVersion]:
    """The example policies, published (the demo's own stage; no registry needed here)."""
    load_policies()
    return list(PolicyVersion.objects.published())


def _nav(page, name: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=name).click()


def _marked(page) -> None:
    """Mark the window: the mark survives an htmx swap, not a page load."""
    page.evaluate("() => { window.hqMark = 'same page' }")


def _still_marked(page) -> bool:
    return page.evaluate("() => window.hqMark") == "same page"


def test_the_public_calculator_shows_status_reasons_and_facts_to_provide(page, published):
    today = date.today()
    page.goto("/")
    _nav(page, "政策计算器")
    expect(page.get_by_role("heading", level=1)).to_have_text("政策计算器")
    expect(page.locator("#calculator")).to_contain_text(f"只询问已发布的 {len(published)} 项政策")

    page.get_by_label("所在地区").select_option("220104")
    page.get_by_label("所属行业").fill("6513")
    page.get_by_label("成立日期").fill("2019-03-01")
    page.get_by_role("group", name="列入严重失信主体名单").get_by_label("否").check()
    page.get_by_label("从业人员（人）").fill("80")
    page.get_by_label("营业收入（万元）").fill("900")
    page.get_by_label("资产总额（万元）").fill("1200")
    page.get_by_label("研发费用（万元）").fill("60")
    zjtx = page.get_by_role("group", name="资质：专精特新中小企业")
    zjtx.get_by_label("有效期起").fill((today - timedelta(days=365)).isoformat())
    zjtx.get_by_label("有效期止").fill((today + timedelta(days=365)).isoformat())
    # the founder left unknown: the policies for founders of these groups stay "possibly"
    url = page.url
    _marked(page)
    with page.expect_request(lambda r: r.method == "POST" and "/calculator/" in r.url) as sent:
        page.get_by_role("button", name="计算").click()
    assert sent.value.headers.get("hx-request") == "true"
    results = page.locator("#results")
    expect(results.get_by_role("heading", name="计算结果")).to_be_visible()
    assert page.url == url and _still_marked(page), "结果应由 htmx 局部更新，页面不应重新载入"

    # the same facts through the rules engine: the counts the page must show
    facts = {
        "district": "220104",
        "industry": "6513",
        "founded": date(2019, 3, 1),
        "dishonest": False,
        "employees": 80,
        "revenue": Decimal(900),
        "total_assets": Decimal(1200),
        "rd_expense": Decimal(60),
        "zjtx_from": today - timedelta(days=365),
        "zjtx_to": today + timedelta(days=365),
    }
    matches = match(facts, [v.policy for v in published], today)
    counts = {s: sum(m.status is s for m in matches) for s in Eligibility}
    assert all(counts.values())
    for status, n in counts.items():
        expect(results.get_by_text(f"{status.label} {n} 项", exact=True)).to_be_visible()
    cards = results.locator("article.result")
    expect(cards).to_have_count(len(matches))
    for status, badge in ((Eligibility.ELIGIBLE, "eligible"), (Eligibility.POSSIBLY, "possibly")):
        expect(cards.locator(f"h3 .badge.{badge}")).to_have_count(counts[status])
    expect(cards.locator("h3 .badge.not_eligible")).to_have_count(counts[Eligibility.NOT_ELIGIBLE])

    # eligible, with the reasons and a link to the legal basis
    zjtx_card = page.locator("#policy-cc-zjtx-support")
    expect(zjtx_card.locator("h3 .badge")).to_have_text("符合")
    expect(zjtx_card.locator("li.passed").first).to_contain_text("满足：")
    expect(zjtx_card.locator("li.passed", has_text="持有 专精特新中小企业")).to_have_count(1)
    expect(
        zjtx_card.get_by_role("link", name="《长春市促进中小企业发展条例》第二十五条第二款")
    ).to_have_attribute("href", "/law/220100-sme-promotion-2025-04-03/art_25/para_2")
    # possibly eligible: what to provide
    loan = page.locator("#policy-cc-startup-loan")
    expect(loan.locator("h3 .badge")).to_have_text("可能符合")
    expect(loan.locator("li.unknown").first).to_contain_text("无法判断：创办人")
    expect(loan).to_contain_text("请补充：创办人为高校毕业生、创办人为返乡创业人员")
    needed = results.locator(".card", has=page.get_by_role("heading", name="待补充的信息"))
    expect(needed).to_contain_text("创办人为高校毕业生")
    # not eligible: the condition that fails
    listing = page.locator("#policy-cc-listing-cultivation")
    expect(listing.locator("h3 .badge")).to_have_text("不符合")
    expect(listing.locator("li.failed", has_text="营业收入 ≥ 5000万元")).to_have_count(1)
    shot(page, "public-calculator")


def test_the_size_self_test_classifies_asks_for_missing_facts_and_flags_bad_input(page):
    page.goto("/")
    _nav(page, "企业规模自测")
    expect(page.get_by_role("heading", level=1)).to_have_text("企业规模自测")
    service = page.locator("blockquote.law").get_by_role("link")
    expect(service).to_have_text("《保障中小企业款项支付条例》（2025年版）第二十九条第一款")
    url = page.url
    _marked(page)

    page.get_by_label("所属行业").fill("6511")
    page.get_by_label("从业人员（人）").fill("80")
    page.get_by_label("营业收入（万元）").fill("900")
    page.get_by_role("button", name="判定规模").click()
    result = page.locator("#size-result")
    expect(result.locator(".figure")).to_have_text("小型企业")
    expect(result.locator(".badge").first).to_have_text("属于中小企业")
    expect(result).to_contain_text("决定性指标：从业人员、营业收入")
    expect(result).to_contain_text("6511 基础软件开发")
    expect(result.locator("ol.steps li")).to_have_text(
        [
            "从业人员80人＜300人、营业收入900万元＜10000万元，属于中小微型企业",
            "从业人员80人＜100人、营业收入900万元＜1000万元，未达到中型企业的下限，下划一档",
            "从业人员80人≥10人、营业收入900万元≥50万元，达到小型企业的全部下限，划为小型企业",
        ]
    )
    expect(result.locator("li.citation").first).to_have_text(
        "《中小企业划型标准规定》（工信部联企业〔2011〕300号）第四条第（十二）项"
    )
    assert page.url == url and _still_marked(page), "结果应由 htmx 局部更新"
    shot(page, "public-size-small")

    # a fact the classification needs is missing: it says which, and does not guess
    page.get_by_label("营业收入（万元）").fill("")
    page.get_by_role("button", name="判定规模").click()
    expect(result.locator(".figure")).to_have_text("暂无法判定")
    expect(result.locator(".badge.warn").first).to_have_text("需要营业收入（万元）")
    shot(page, "public-size-missing")

    # a bad number: the error next to its field, and no result
    page.get_by_label("营业收入（万元）").fill("900")
    page.get_by_label("从业人员（人）").fill("8.5")
    page.get_by_role("button", name="判定规模").click()
    employees = page.get_by_label("从业人员（人）")
    expect(employees).to_have_attribute("aria-invalid", "true")
    field = page.locator(".field.invalid", has=employees)
    expect(field.locator(".errorlist")).to_have_text("从业人员应当是整数（人）。")
    expect(page.locator(".field.invalid")).to_have_count(1)
    expect(result).to_be_empty()
    assert _still_marked(page)
    shot(page, "public-size-error")


def test_the_policy_list_filters_and_exports_what_it_shows(page, published, tmp_path):
    page.goto("/")
    _nav(page, "惠企政策清单")
    expect(page.get_by_role("heading", level=1)).to_have_text("惠企政策清单")
    results = page.locator("#results")
    expect(results).to_contain_text(f"共 {len(published)} 项政策")
    _marked(page)

    page.get_by_label("企业规模").select_option(label="中型")
    expect(page).to_have_url(re.compile(r"[?&]size=medium"))
    page.get_by_label("支持类型").select_option(label="资金")
    expect(page).to_have_url(re.compile(r"[?&]kind=funds"))
    expected = sorted(
        (
            v
            for v in published
            if v.benefit_kind == "funds" and (not v.sizes or "medium" in v.sizes)
        ),
        key=lambda v: (v.jurisdiction, v.department, v.title, v.record.slug),
    )
    assert 0 < len(expected) < len(published)
    expect(results).to_contain_text(f"共 {len(expected)} 项政策")
    rows = results.locator("table.policies tbody tr")
    expect(rows).to_have_count(len(expected))
    expect(rows.locator("td:nth-child(1) a")).to_have_text([v.title for v in expected])
    expect(rows.locator("td:nth-child(3)")).to_have_text(["资金"] * len(expected))
    expect(results).not_to_contain_text("创业场地房租补贴")  # 小型、微型 only
    assert _still_marked(page), "筛选应由 htmx 局部更新"
    shot(page, "public-list-filtered")

    with page.expect_download() as download:
        results.get_by_role("link", name="导出 Excel").click()
    assert download.value.suggested_filename == f"惠企政策清单-{date.today().isoformat()}.xlsx"
    path = tmp_path / "list.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(BytesIO(path.read_bytes())).active
    header, *lines = list(sheet.iter_rows(values_only=True))
    assert header[:2] == ("政策编号", "名称")
    assert [line[1] for line in lines] == rows.locator("td:nth-child(1) a").all_inner_texts()
    assert [line[0] for line in lines] == [v.record.slug for v in expected]
    assert {line[header.index("支持类型")] for line in lines} == {"资金"}
