"""An official in the browser: writes a 免申即享 policy with the criteria builder and the
legal basis picker, publishes it, and screens the registry with it (长春 条例 第三十五条).
The run is queued by the page and executed by the background worker, whose progress the run
page follows until 已完成 with the counts."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection
from playwright.sync_api import expect

from huiqi.enterprises.facts import facts_of
from huiqi.enterprises.models import Enterprise
from huiqi.policies.models import PolicyVersion
from huiqi.rules.criteria import Eligibility
from huiqi.rules.policies import match
from huiqi.screening.models import RunStatus, ScreeningRun
from huiqi.screening.worker import start_in_background

from .conftest import login, shot

SLUG = "cc-small-micro-digital-upgrade"
TITLE = "小型微型企业数字化改造补助"
CRITERIA = "企业规模 属于 小型、微型 且 不是 失信 且 从业人员 ≥ 20人"
BASIS = "《长春市促进中小企业发展条例》第二十五条"


def _expected_counts(slug: str, on: date) -> Counter[Eligibility]:
    """The policy matched enterprise by enterprise in Python (the rules engine's matcher on
    each enterprise's registry facts), independently of the SQL screening."""
    policy = PolicyVersion.objects.published().get(record__slug=slug).policy
    counts: Counter[Eligibility] = Counter()
    enterprises = Enterprise.objects.filter(district__startswith="2201").prefetch_related(
        "yearly_facts", "qualifications"
    )
    for enterprise in enterprises:
        (result,) = match(facts_of(enterprise, on), [policy], on)
        counts[result.status] += 1
    return counts


@contextmanager
def _worker() -> Iterator[threading.Thread]:
    """The screening worker in a background thread of the test process, with its own
    database connection, stopped at the end.

    On SQLite the test database is in memory with a shared cache, whose locks are per table:
    a page poll reading a table the worker is writing would fail at once (SQLITE_LOCKED, which
    no busy timeout waits for). So the live server's connection (the test's own, shared with
    the server thread) reads uncommitted while the worker runs; a database file in WAL mode,
    as deployed, needs none of this."""
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA read_uncommitted = 1")
    thread, stop = start_in_background(poll=0.2)
    try:
        yield thread
    finally:
        stop.set()
        thread.join(timeout=30)
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA read_uncommitted = 0")


def _swapped(page, action) -> None:
    """Do ``action`` and wait until htmx has swapped in the response it caused (the next
    action must work on the new form, not on the one being replaced)."""
    page.evaluate(
        """() => { window.hqSettled = false;
        document.body.addEventListener("htmx:afterSettle", () => { window.hqSettled = true },
                                       {once: true}); }"""
    )
    action()
    page.wait_for_function("() => window.hqSettled")


def test_an_official_writes_publishes_and_screens_a_policy(page, demo):
    account = demo.account("changchun")
    login(page, account)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作台").click()
    page.get_by_role("link", name="政策管理").click()
    page.get_by_role("link", name="新建政策").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("新建政策")

    page.get_by_label("政策编号").fill(SLUG)
    page.get_by_label("政策名称").fill(TITLE)
    expect(page.get_by_label("适用地区")).to_have_value("220100")
    expect(page.get_by_label("主管部门")).to_have_value("长春市工业和信息化局")
    page.get_by_label("兑现方式").select_option(label="免申即享")
    page.get_by_label("支持类型").select_option(label="资金")
    page.get_by_label("支持内容").fill("对实施数字化改造的小型微型企业给予资金补助。")

    # the criteria, row by row in the builder; the text form follows each change (htmx)
    text = page.get_by_label("申请条件（文本）")
    rows = page.get_by_role("group", name="条件", exact=True)
    expect(rows).to_have_count(1)
    _swapped(page, lambda: rows.nth(0).get_by_label("小型", exact=True).check())
    expect(text).to_have_value("企业规模 属于 小型")
    _swapped(page, lambda: rows.nth(0).get_by_label("微型", exact=True).check())
    expect(text).to_have_value("企业规模 属于 小型、微型")
    _swapped(page, lambda: page.get_by_role("button", name="添加条件", exact=True).click())
    expect(rows).to_have_count(2)
    _swapped(
        page, lambda: rows.nth(1).get_by_label("事实").select_option(label="列入严重失信主体名单")
    )
    _swapped(page, lambda: rows.nth(1).get_by_label("是否").select_option(label="否"))
    expect(text).to_have_value("企业规模 属于 小型、微型 且 不是 失信")
    _swapped(page, lambda: page.get_by_role("button", name="添加条件", exact=True).click())
    expect(rows).to_have_count(3)
    _swapped(page, lambda: rows.nth(2).get_by_label("事实").select_option(label="从业人员（人）"))
    _swapped(page, lambda: rows.nth(2).get_by_label("比较").select_option(label="≥"))
    _swapped(
        page, lambda: (rows.nth(2).get_by_label("数值").fill("20"), page.keyboard.press("Tab"))
    )
    # the text form says what the builder shows, row by row
    expect(text).to_have_value(CRITERIA)
    expect(rows.nth(0).get_by_label("小型", exact=True)).to_be_checked()
    expect(rows.nth(0).get_by_label("微型", exact=True)).to_be_checked()
    expect(rows.nth(0).get_by_label("中型", exact=True)).not_to_be_checked()
    expect(rows.nth(1).get_by_label("是否")).to_have_value("no")
    expect(rows.nth(2).get_by_label("数值")).to_have_value("20")

    # the legal basis, picked from the regulation library
    page.get_by_label("检索法规库").fill("专精特新 资金支持")
    hit = page.locator("#basis-results li").filter(
        has=page.locator("span.citation", has_text=BASIS)
    )
    expect(hit.first).to_be_visible()
    hit.first.get_by_role("button", name="引用本条").click()
    chosen = page.locator("#basis-list li")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text(BASIS)
    shot(page, "official-policy-form")

    page.get_by_role("button", name="保存草稿").click()
    expect(page).to_have_url(re.compile(rf"/policies/manage/{SLUG}/$"))
    expect(page.get_by_role("status")).to_contain_text("已保存第1版草稿。")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"编辑政策：{TITLE}")
    expect(page.get_by_label("申请条件（文本）")).to_have_value(CRITERIA)
    page.get_by_role("button", name="发布第1版").click()
    expect(page.get_by_role("status")).to_contain_text("已发布第1版。")
    versions = page.get_by_role("table").get_by_role("row")
    expect(versions.nth(1)).to_contain_text("已发布")
    shot(page, "official-policy-published")

    # a screening of this policy: queued by the page, executed by the worker
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="工作台").click()
    page.get_by_role("link", name="免申即享筛查").click()
    page.get_by_role("link", name="发起筛查").click()
    page.get_by_label("政策").select_option(label=f"{TITLE}（{SLUG} 第1版，免申即享）")
    on = date.fromisoformat(page.get_by_label("筛查日期").input_value())
    page.get_by_role("button", name="加入筛查队列").click()
    expect(page).to_have_url(re.compile(r"/screenings/\d+/$"))
    run = ScreeningRun.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    assert run.policy_version.record.slug == SLUG and run.status == RunStatus.QUEUED
    status = page.locator("#run-status")
    expect(status.locator(".badge")).to_have_text("排队中")
    expect(status).to_contain_text("等待后台任务执行")
    shot(page, "official-run-queued")

    with _worker() as worker:
        expect(status.locator(".badge")).to_have_text("已完成", timeout=60_000)
    assert not worker.is_alive()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.started_at is not None

    expected = _expected_counts(SLUG, on)
    eligible, possibly = expected[Eligibility.ELIGIBLE], expected[Eligibility.POSSIBLY]
    not_eligible = expected[Eligibility.NOT_ELIGIBLE]
    assert eligible > 0 and not_eligible > 0
    expect(status.get_by_role("progressbar", name="筛查进度")).to_have_attribute("value", "100")
    expect(status).to_contain_text("已筛查 1 / 1 项政策")
    expect(status).to_contain_text(f"筛查范围内企业 {sum(expected.values())} 户")
    headers = ["政策", "兑现方式", "符合", "可能符合", "不符合", "新发放", "新推送"]
    expect(status.get_by_role("columnheader")).to_have_text(headers)
    row = status.get_by_role("row").filter(has_text=TITLE)
    expect(row.get_by_role("cell")).to_have_text(
        [
            re.compile(re.escape(TITLE)),
            "免申即享",
            str(eligible),
            str(possibly),
            str(not_eligible),
            str(eligible),  # 免申即享: every eligible enterprise is granted the benefit
            str(eligible + possibly),  # and every eligible or possibly eligible one notified
        ]
    )
    shot(page, "official-run-done")
