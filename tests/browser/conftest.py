"""The browser tests' harness: the platform on pytest-django's live server, driven by
Playwright in headless Chromium (Debian ``chromium``; ``HUIQI_CHROMIUM`` names another binary,
``scripts/browser.sh`` installs it with the Noto CJK fonts).

- ``browser``: one Chromium for the tests of this package; ``page``: a fresh context per test
  (zh-CN, Asia/Shanghai), so no cookie leaks from one test to the next.
- ``demo``: the demo's data set (library, published policies, a small 长春 registry, the
  screening, the accounts) built by :func:`huiqi.cli.demo.prepare`, the demo's own set-up.
- ``login(page, account)`` logs in through the login page; ``shot(page, name)`` saves a
  screenshot to ``artifacts/screenshots/<name>.png``.

The live server needs committed data, so these tests use a transactional database (the
live_server fixture asks for it); they run on SQLite and, with ``DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_ENTERPRISES = 300


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Headless Chromium, for the tests of this package only.

    Playwright's sync API keeps an event loop in this thread; Django refuses ORM calls from
    a thread with a running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set. The tests and the
    fixtures' database teardown run here synchronously, so it is set while the browser runs
    and unset again after, before any other package's tests."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("HUIQI_CHROMIUM", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    """A page in a fresh browser context (zh-CN), its base URL the live server. A server
    error (5xx) on any request of the test fails it, with a screenshot."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 500 else None
        ),
    )
    yield page
    if errors:
        shot(page, "server-error")
    context.close()
    assert not errors, f"服务器错误：{errors}"


@pytest.fixture
def demo(live_server):
    """The demo's data set, built by the demo's own set-up with a small registry; its
    accounts (with their passwords) are ``demo.accounts`` / ``demo.account("admin")``."""
    from huiqi.cli.demo import prepare

    return prepare(DEMO_ENTERPRISES)


def login(page, account) -> None:
    """Log in through the login page as a demo account."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(account.username)
    page.get_by_label("密码").fill(account.password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot as artifacts/screenshots/<name>.png (a test artifact)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
