"""An enterprise user in the browser: the policies pushed to its inbox with the reasons and
the legal basis (长春 条例 第三十五条第二款), the same policies in 我的政策, and no way into
another enterprise's page (an enterprise sees only its own data: not found, not forbidden)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from huiqi.accounts.models import User
from huiqi.enterprises.models import Enterprise
from huiqi.law import bundled
from huiqi.screening.models import Notice

from .conftest import login, shot


def _pushed(username: str) -> Notice:
    """The user's notice of a policy it is eligible for, whose legal basis is a provision in
    force in the regulation library: the one with the most conditions passed."""
    user = User.objects.get(username=username)
    found = [
        notice
        for notice in Notice.objects.of_user(user).select_related("policy_version__record")
        if notice.eligibility == "eligible"
        and any(c["kind"] == "law" and not c["draft"] for c in notice.reasons["citations"])
    ]
    assert found, "演示数据中该企业没有符合条件且依据现行法规的推送"
    return max(found, key=lambda n: sum(c["status"] == "passed" for c in n.reasons["conditions"]))


def test_an_enterprise_sees_a_pushed_policy_with_reasons_and_its_legal_basis(page, demo):
    account = demo.account("enterprise")
    notice = _pushed(account.username)
    version = notice.policy_version
    passed = [c["reason"] for c in notice.reasons["conditions"] if c["status"] == "passed"]
    citation = next(c for c in notice.reasons["citations"] if c["kind"] == "law" and not c["draft"])

    login(page, account)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="消息").click()
    expect(page).to_have_url(re.compile(r"/screenings/inbox/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("政策推送")
    unread = Notice.objects.filter(enterprise__uscc=account.enterprise_uscc, read_at=None).count()
    expect(page.get_by_text(f"{unread} 条未读。")).to_be_visible()

    card = page.locator(f"#notice-{notice.pk}")
    expect(card.get_by_role("heading", level=2)).to_contain_text(version.title)
    expect(card.locator(".badge.eligible")).to_have_text("符合")
    # the reasons: each passed condition in Chinese, the size class among them
    expect(card.locator("ul.reasons li.passed")).to_have_text(passed)
    assert all(reason.startswith("满足：") for reason in passed)
    assert any("企业规模" in reason for reason in passed)
    link = card.locator("p.citation").get_by_role("link", name=citation["text"])
    expect(link).to_have_attribute("href", f"/law/{citation['source']}/{citation['node']}")
    shot(page, "enterprise-inbox")

    # the legal basis: the provision's page in the regulation library
    link.click()
    expect(page).to_have_url(re.compile(re.escape(f"/law/{citation['source']}/{citation['node']}")))
    provision = bundled().document(citation["source"]).find(citation["node"])
    assert provision is not None
    expect(page.locator("blockquote.law")).to_contain_text(provision.text)
    expect(page.get_by_label("引用")).to_have_value(citation["text"])
    shot(page, "enterprise-inbox-citation")

    # 我的政策: the same policy, 符合, with the same reasons, from the registry's facts
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的政策").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的政策")
    enterprise = Enterprise.objects.get(uscc=account.enterprise_uscc)
    expect(page.locator("main")).to_contain_text(f"{enterprise.name}（{enterprise.uscc}）")
    result = page.locator(f"#policy-{version.record.slug}")
    expect(result.get_by_role("link", name=version.title)).to_be_visible()
    expect(result.locator("h3 .badge")).to_have_text("符合")
    # the same conditions, here with the registry's figures behind them (划型 explained)
    expect(result.locator("ul.reasons li.passed")).to_have_text(
        [re.compile("^" + re.escape(reason)) for reason in passed]
    )
    expect(result.locator(".citation").get_by_role("link", name=citation["text"])).to_be_visible()
    result.scroll_into_view_if_needed()
    shot(page, "enterprise-mine")


def test_an_enterprise_cannot_open_another_enterprises_page(page, demo):
    account = demo.account("enterprise")
    other = Enterprise.objects.get(uscc=demo.account("enterprise2").enterprise_uscc)
    own = Enterprise.objects.get(uscc=account.enterprise_uscc)
    login(page, account)

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="本企业").click()
    expect(page).to_have_url(re.compile(re.escape(f"/enterprises/{own.uscc}/") + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(own.name)

    response = page.goto(f"/enterprises/{other.uscc}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    body = page.locator("body")
    expect(body).not_to_contain_text(other.name)
    expect(body).not_to_contain_text(other.uscc)
    shot(page, "enterprise-other-404")
