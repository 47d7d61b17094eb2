"""``huiqi demo``: the set-up builds the library, the published example policies, the
registry, the screening (免申即享 grants and notices, 长春 条例 第三十五条) and the accounts;
the command reuses its data on a second run, refuses a data directory it did not make, and
serves the platform over plain http on loopback with working logins.

The command's tests run the real command in a subprocess: on its SQLite database, or, in the
PostgreSQL pass (``DATABASE_URL`` set), with ``--database-url`` on a fresh database they
create and drop."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse

from huiqi.accounts.models import Role, User
from huiqi.cli.demo import STATE_FILE, prepare
from huiqi.enterprises.models import Enterprise
from huiqi.law import bundled
from huiqi.library.models import LawDocument
from huiqi.policies.models import PolicyVersion
from huiqi.rules.policies import bundled_policies
from huiqi.screening.models import Entitlement, Notice, RunStatus, ScreeningRun

ENTERPRISES = 300
USERNAMES = {"admin", "changchun", "shenzhen", "enterprise", "enterprise2"}


@pytest.fixture
def demo(db):
    return prepare(ENTERPRISES)


def test_the_set_up_builds_the_whole_demo(demo):
    assert LawDocument.objects.count() == demo.documents == len(bundled().entries)
    assert demo.policies == PolicyVersion.objects.published().count() == len(bundled_policies())
    assert Enterprise.objects.count() == demo.enterprises == ENTERPRISES
    run = ScreeningRun.objects.get()
    assert run.pk == demo.run_id and run.status == RunStatus.DONE
    assert run.progress_done == run.progress_total > 0
    assert run.totals() == demo.run_totals
    assert Notice.objects.count() == demo.run_totals["notices_new"] > 0
    assert set(demo.timings) and all(t >= 0 for t in demo.timings.values())


def test_the_accounts_log_in_with_the_printed_passwords(demo):
    assert {a.username for a in demo.accounts} == USERNAMES
    for account in demo.accounts:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None, account.username
        assert len(account.password) >= 16
    assert User.objects.get(username="admin").role == Role.ADMINISTRATOR
    changchun = User.objects.get(username="changchun")
    assert (changchun.role, changchun.department.jurisdiction) == (Role.OFFICIAL, "220100")
    assert changchun.department.name == "长春市工业和信息化局"
    assert User.objects.get(username="shenzhen").department.jurisdiction == "440300"


def test_the_enterprise_user_has_a_free_benefit_and_notices(demo):
    """Bound to an enterprise granted a 免申即享 benefit (第三十五条第三款) with notices saying
    why (第三十五条第二款); the second user's enterprise has notices but no grant."""
    user = User.objects.get(username="enterprise")
    assert user.role == Role.ENTERPRISE
    assert Entitlement.objects.of_user(user).exists()
    assert Notice.objects.of_user(user).filter(eligibility="eligible").exists()
    second = User.objects.get(username="enterprise2")
    assert second.enterprise_uscc != user.enterprise_uscc
    assert Notice.objects.of_user(second).exists()
    assert not Entitlement.objects.of_user(second).exists()
    assert demo.account("enterprise").enterprise_uscc == user.enterprise_uscc


def test_the_enterprise_user_sees_the_notices_in_the_inbox(demo, client):
    user = User.objects.get(username="enterprise")
    client.force_login(user)
    page = client.get(reverse("screening:inbox")).content.decode()
    notice = Notice.objects.of_user(user).select_related("policy_version").first()
    assert notice.policy_version.title in page


# the command ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def database_url() -> Iterator[str | None]:
    """None on SQLite; in the PostgreSQL pass a fresh database for the demo, dropped after."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg

    name = f"{os.environ.get('HUIQI_TEST_DB_NAME', 'test')}_demo"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def huiqi_demo(data_dir: Path, database_url: str | None, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "huiqi", "demo", "--data-dir", str(data_dir), *args]
    if database_url:
        command += ["--database-url", database_url]
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env["COLUMNS"] = "200"
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory, database_url) -> tuple[Path, str | None, str]:
    """A demo data directory built by the command with --no-serve, and its output."""
    data_dir = tmp_path_factory.mktemp("demo")
    done = huiqi_demo(data_dir, database_url, "--no-serve", "--enterprises", str(ENTERPRISES))
    assert done.returncode == 0, done.stderr
    return data_dir, database_url, done.stdout


def _state(data_dir: Path) -> dict:
    return json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))


def _snapshot(data_dir: Path, database_url: str | None) -> dict[str, int]:
    """Rows per table (and the last audit entry): what a second run must not change."""
    tables = ("accounts_user", "enterprises_enterprise", "screening_notice", "audit_auditentry")
    if database_url is None:
        conn = sqlite3.connect(data_dir / "huiqi.sqlite3")
    else:
        import psycopg

        conn = psycopg.connect(database_url)
    with conn:
        counts = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}
        counts["last audit"] = conn.execute("select max(id) from audit_auditentry").fetchone()[0]
    conn.close()
    return counts


def test_the_command_prints_every_stage_and_the_accounts(built):
    data_dir, _, out = built
    for stage in ("建立数据库", "载入法规库", "示例政策", "300 家长春合成企业", "筛查", "演示账号"):
        assert stage in out
    assert re.search(r"完成（\d+\.\d 秒）", out)
    state = _state(data_dir)
    assert state["complete"] and state["enterprises"] == ENTERPRISES
    for account in state["accounts"]:
        assert account["username"] in out and account["password"] in out
    assert oct((data_dir / STATE_FILE).stat().st_mode & 0o777) == "0o600"


def test_a_second_run_reuses_the_data_and_changes_nothing(built):
    data_dir, database_url, _ = built
    before, state = _snapshot(data_dir, database_url), _state(data_dir)
    again = huiqi_demo(data_dir, database_url, "--no-serve")
    assert again.returncode == 0, again.stderr
    assert "沿用已有演示数据" in again.stdout
    assert "载入法规库" not in again.stdout
    assert _snapshot(data_dir, database_url) == before
    assert _state(data_dir) == state
    for account in state["accounts"]:
        assert account["password"] in again.stdout


def test_a_data_directory_the_demo_did_not_make_is_refused(tmp_path):
    (tmp_path / "huiqi.sqlite3").write_bytes(b"")
    done = huiqi_demo(tmp_path, None, "--no-serve", "--enterprises", "10")
    assert done.returncode == 2
    assert "不是演示建立的数据库" in done.stderr
    assert (tmp_path / "huiqi.sqlite3").read_bytes() == b""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def test_the_demo_serves_and_logins_work_over_plain_http(built):
    """On loopback the cookies come without the Secure flag, so any HTTP client logs in."""
    data_dir, database_url, _ = built
    port = _free_port()
    command = [sys.executable, "-m", "huiqi", "demo", "--data-dir", str(data_dir)]
    command += ["--port", str(port)] + (["--database-url", database_url] if database_url else [])
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.1)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/accounts/login/")
        response = conn.getresponse()
        page = response.read().decode()
        assert response.status == 200
        assert "Secure" not in " ".join(response.headers.get_all("Set-Cookie"))
        cookies = _cookies(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        admin = next(a for a in _state(data_dir)["accounts"] if a["username"] == "admin")
        body = urlencode({"username": "admin", "password": admin["password"]})
        conn.request(
            "POST",
            "/accounts/login/",
            body=f"{body}&csrfmiddlewaretoken={token}",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
                "Referer": f"http://127.0.0.1:{port}/accounts/login/",
            },
        )
        response = conn.getresponse()
        response.read()
        assert response.status == 302
        session = _cookies(response)["sessionid"]
        conn.request("GET", "/", headers={"Cookie": f"sessionid={session}"})
        response = conn.getresponse()
        assert "admin<small>（管理员）" in response.read().decode()
        conn.request("GET", "/static/portal/huiqi.css")
        response = conn.getresponse()
        assert response.status == 200 and b"font-family" in response.read()
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    assert server.returncode == 0, out
    assert "平台已启动" in out and "平台已停止" in out


def test_reset_is_refused_for_another_database(tmp_path):
    """--reset deletes the demo's own SQLite file only, never another database."""
    done = huiqi_demo(tmp_path, "postgresql://postgres@127.0.0.1:5432/x", "--reset", "--no-serve")
    assert done.returncode == 2
    assert "--reset 只重建演示数据目录中的 SQLite 数据库" in done.stderr
