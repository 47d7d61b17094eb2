"""A complaint, an application and an arrears complaint, each from intake to closure in the
browser: the enterprise files through the form, the department's officials take every step
with the case page's buttons, and the page shows at each step the state, the deadline and its
citation — 长春 条例 第四十三条 (reply within 20 working days), the service commitment for an
application (no law sets one), 款项支付条例 第二十五条 (transfer within 10 working days, the
result within 30 days)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from huiqi.accounts.models import Role
from huiqi.accounts.services import create_department, create_user
from huiqi.applications.models import Application
from huiqi.cases.models import Case
from huiqi.cli.demo import Account

from .conftest import login, shot

FAST = "cc-financing-guarantee"
"""直达快享: prefilled from the registry, confirmed by the enterprise."""
pytestmark = pytest.mark.usefixtures("flushable_case_history")


def _switch(page, account) -> None:
    """Log out (cookies dropped) and log in as another account."""
    page.context.clear_cookies()
    login(page, account)


def _state(page):
    """The case's state badge, right under the heading."""
    return page.locator("h1 + p .badge").first


def _act(page, label: str, state: str) -> None:
    """Press an action button of the case page and see the new state."""
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    expect(_state(page)).to_have_text(state)


def _deadline_shows(page, case: Case, *citations: str) -> None:
    """The deadline section shows the case's due date and the citations."""
    case.refresh_from_db()
    deadline = page.get_by_role("region", name="答复期限")
    expect(deadline.locator("strong").first).to_have_text(f"{case.effective_due_on:%Y-%m-%d}")
    for citation in citations:
        expect(deadline.locator("li.citation")).to_contain_text([re.compile(citation)])


def test_a_complaint_from_intake_to_closure(page, demo):
    login(page, demo.account("enterprise"))
    page.goto("/cases/new/")
    page.get_by_label("诉求类型").select_option("complaint")
    page.get_by_label("标题", exact=True).fill("技术改造补贴申请逾期未答复")
    page.get_by_label("内容", exact=True).fill("2025年6月提交的技术改造补贴申请，至今没有答复。")
    page.get_by_label("联系方式", exact=True).fill("0431-88886666")
    page.locator("main form").get_by_role("button", name="提交", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/TS-\d{4}-\d{6}/$"))
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    case = Case.objects.get(number=number)
    assert case.department.name == "长春市工业和信息化局"
    expect(page.get_by_role("status")).to_contain_text(
        f"已提交，编号 {number}；答复期限 {case.effective_due_on:%Y-%m-%d}。"
    )
    expect(_state(page)).to_have_text("待受理")
    _deadline_shows(page, case, "《长春市促进中小企业发展条例》第四十三条")
    expect(page.get_by_role("region", name="答复期限")).to_contain_text("含今天还剩")
    # the enterprise has no official's buttons
    expect(page.get_by_role("button", name="受理", exact=True)).to_have_count(0)
    shot(page, "flow-complaint-intake")

    _switch(page, demo.account("changchun"))
    page.goto("/cases/")
    page.get_by_role("link", name=number).first.click()
    expect(_state(page)).to_have_text("待受理")
    _deadline_shows(page, case, "第四十三条")
    _act(page, "受理", "已受理")
    _act(page, "开始调查", "调查中")
    _deadline_shows(page, case, "第四十三条")
    page.get_by_label("答复书正文").fill("经调查，补贴已于本月拨付，特此答复。")
    _act(page, "书面答复", "已答复")
    expect(page.get_by_role("region", name=re.compile("书面答复"))).to_contain_text(
        "补贴已于本月拨付"
    )
    _act(page, "办结", "已办结")
    history = page.get_by_role("region", name="办理记录").get_by_role("listitem")
    expect(history).to_have_count(5)
    for step in ("受理", "开始调查", "书面答复", "办结"):
        expect(history.filter(has_text=step).first).to_be_visible()
    _deadline_shows(page, case, "第四十三条")
    expect(page.get_by_role("region", name="办理", exact=True)).to_have_count(0)
    shot(page, "flow-complaint-closed")

    _switch(page, demo.account("enterprise"))
    page.goto(f"/cases/{number}/")
    expect(_state(page)).to_have_text("已办结")
    expect(page.get_by_role("region", name=re.compile("书面答复"))).to_contain_text(
        "补贴已于本月拨付"
    )
    case.refresh_from_db()
    assert case.state == "closed" and case.closed_at is not None


def test_an_application_from_intake_to_redemption(page, demo):
    login(page, demo.account("enterprise"))
    page.goto(f"/applications/policy/{FAST}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("申报：")
    expect(page.get_by_role("group", name=re.compile("平台已掌握的信息"))).to_contain_text(
        "预填，请核对"
    )
    page.get_by_label("我已核对以上预填信息，确认无误").check()
    page.get_by_role("button", name="提交申报").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/$"))
    application = Application.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    case = application.case
    expect(page.get_by_role("status")).to_contain_text(
        f"已提交，编号 {case.number}；审核期限 {case.effective_due_on:%Y-%m-%d}。"
    )
    expect(_state(page)).to_have_text("已提交")
    deadline = page.get_by_role("region", name="答复期限")
    _deadline_shows(page, case)
    # no law sets the review period: the department's commitment, cited as such
    expect(deadline).to_contain_text("服务承诺，非法定期限")
    expect(deadline).to_contain_text("第三十五条第三款")
    expect(page.locator("p.citation")).to_contain_text(["不得要求企业重复提供"])
    shot(page, "flow-application-intake")

    _switch(page, demo.account("changchun"))
    page.goto("/applications/")
    page.get_by_role("link", name=case.number).first.click()
    expect(_state(page)).to_have_text("已提交")
    _deadline_shows(page, case)
    _act(page, "受理", "已受理")
    _act(page, "审核通过", "审核通过")
    today = timezone.localdate()
    page.get_by_label("兑现金额（万元）").fill("12.5")
    page.get_by_label("兑现日期").fill(f"{today:%Y-%m-%d}")
    _act(page, "兑现", "已兑现")
    expect(page.get_by_role("region", name="兑现")).to_contain_text(
        f"兑现金额 12.5 万元，兑现日期 {today:%Y-%m-%d}。"
    )
    _deadline_shows(page, case)
    shot(page, "flow-application-redeemed")

    _switch(page, demo.account("enterprise"))
    page.goto(f"/applications/{application.pk}/")
    expect(_state(page)).to_have_text("已兑现")
    expect(page.get_by_role("region", name="兑现")).to_contain_text("12.5 万元")
    application.refresh_from_db()
    assert application.case.state == "redeemed" and application.redeemed_on == today


def test_an_arrears_complaint_from_intake_to_closure(page, demo):
    # 第二十四条第一款: the province's department accepts; 长春 handles
    province = create_department(actor=None, name="吉林省工业和信息化厅", jurisdiction="220000")
    accepter = Account(
        "jl-accepter", secrets.token_urlsafe(12), Role.OFFICIAL.label, "受理投诉部门"
    )
    create_user(
        actor=None,
        username=accepter.username,
        password=accepter.password,
        role=Role.OFFICIAL,
        department=province,
    )
    today = timezone.localdate()
    login(page, demo.account("enterprise"))
    page.goto("/arrears/new/")
    page.get_by_label("被投诉人名称").fill("某大型建设集团有限公司")
    page.get_by_label("被投诉人类型").select_option(label="大型企业")
    page.get_by_label("合同订立日期").fill(f"{today - timedelta(days=200):%Y-%m-%d}")
    page.get_by_label("交付日期", exact=True).fill(f"{today - timedelta(days=190):%Y-%m-%d}")
    page.get_by_label("应付金额（万元）").fill("50")
    page.get_by_label("已付金额（万元）").fill("10")
    page.get_by_label("情况说明").fill("工程已于半年前交付，对方至今未支付余款。")
    page.locator("main form").get_by_role("button", name="提交", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/QK-\d{4}-\d{6}/$"))
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    case = Case.objects.get(number=number)
    assert case.department == province
    expect(page.get_by_role("status")).to_contain_text(
        f"已提交，编号 {number}；转交期限 {case.effective_due_on:%Y-%m-%d}。"
    )
    expect(_state(page)).to_have_text("待受理")
    _deadline_shows(page, case, "第二十五条第一款")
    arrears = page.get_by_role("region", name="拖欠账款")
    expect(arrears).to_contain_text("40 万元")
    shot(page, "flow-arrears-intake")

    _switch(page, accepter)
    page.goto(f"/cases/{number}/")
    _act(page, "受理", "已受理")
    _deadline_shows(page, case, "第二十五条第一款")
    expect(page.get_by_role("region", name="答复期限")).to_contain_text("10个工作日")
    page.get_by_label("处理投诉部门").select_option(label="长春市工业和信息化局（220100）")
    page.get_by_role("button", name="转交处理投诉部门").click()
    expect(page.get_by_role("status")).to_contain_text("已转交")
    expect(_state(page)).to_have_text("已转交")
    case.refresh_from_db()
    assert case.department.name == "长春市工业和信息化局"

    _switch(page, demo.account("changchun"))
    page.goto(f"/cases/{number}/")
    expect(_state(page)).to_have_text("已转交")
    _deadline_shows(page, case, "第二十五条第二款")
    expect(page.get_by_role("region", name="答复期限")).to_contain_text("30日")
    _act(page, "开始处理", "处理中")
    confirm = page.locator("form").filter(
        has=page.get_by_role("button", name="确认拖欠", exact=True)
    )
    confirm.get_by_label("处理结果（书面反馈投诉人）").fill("经核实，拖欠属实，已责令限期支付。")
    confirm.get_by_role("button", name="确认拖欠", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已办理")
    expect(_state(page)).to_have_text("已办结")
    expect(arrears).to_contain_text("确认拖欠")
    history = page.get_by_role("region", name="办理记录").get_by_role("listitem")
    expect(history).to_have_count(5)
    expect(history.nth(2)).to_contain_text("jl-accepter：转交处理投诉部门（已受理 → 已转交）")
    expect(history.nth(4)).to_contain_text("changchun：确认拖欠（处理中 → 已办结）")
    shot(page, "flow-arrears-closed")

    case.refresh_from_db()
    assert case.state == "closed" and case.arrears.result == "confirmed"
    page.goto("/arrears/records/")
    expect(page.get_by_role("main")).to_contain_text("某大型建设集团有限公司")
