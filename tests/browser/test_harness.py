"""The browser harness itself: Chinese renders with a CJK font, and the demo's administrator
logs in through the login page of the live server (its session cookie is Secure, as in
production; Chromium keeps it on http://localhost)."""

from __future__ import annotations

from .conftest import login, shot


def _platform_fonts(page, selector: str) -> dict[str, int]:
    """The fonts Chromium used to draw the text of ``selector``: family → glyph count (the
    DevTools protocol's CSS.getPlatformFontsForNode, not the style sheet's wish list)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {f["familyName"]: f["glyphCount"] for f in fonts}


def test_chinese_renders_with_a_cjk_font(page):
    assert page.goto("/").status == 200
    heading = page.locator("h1")
    assert heading.inner_text() == "惠企政策，找得到、看得懂、享得到"
    fonts = _platform_fonts(page, "h1")
    cjk = {family: n for family, n in fonts.items() if "CJK" in family}
    assert cjk, f"中文没有用 CJK 字体显示：{fonts}"
    assert sum(cjk.values()) >= len("惠企政策找得到看得懂享得到")
    shot(page, "harness-home")


def test_the_demo_administrator_logs_in(page, demo):
    admin = demo.account("admin")
    login(page, admin)
    account = page.locator("header .account")
    assert "admin" in account.inner_text()
    assert "管理员" in account.inner_text()
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="工作台").click()
    assert navigation.value.status == 200
    assert page.url.endswith("/console/")
    assert page.locator("h1").inner_text() == "工作台"
    shot(page, "harness-admin-console")


def test_a_wrong_password_is_refused(page, demo):
    admin = demo.account("admin")
    login(page, type(admin)(admin.username, "不是这个密码-123", admin.role, admin.description))
    assert page.url.endswith("/accounts/login/")
    assert page.get_by_role("alert").is_visible()
