"""The officials' console: registry imports as jobs (page, API, management command, the
background thread), the audit log, the overview — and who may use each."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from stdnum.cn import uscc as stdnum_uscc

from huiqi.accounts.models import Role
from huiqi.accounts.services import create_department, create_user, issue_token
from huiqi.audit.models import Action, AuditEntry
from huiqi.console import executor, services
from huiqi.console.models import ImportJob, ImportStage, ImportStatus
from huiqi.enterprises.models import Enterprise, Qualification, YearlyFacts
from huiqi.population import city, write

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

REGISTRY = ("enterprises.enterprise", "enterprises.yearlyfacts", "enterprises.qualification")


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    """Uploads in a throw-away media directory; jobs run inline unless a test asks for the
    background thread."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.HUIQI_IMPORT_INLINE = True


@pytest.fixture
def department():
    return create_department(actor=None, name="长春市工业和信息化局", jurisdiction="220100")


@pytest.fixture
def official(department):
    return create_user(
        actor=None,
        username="official",
        password=PASSWORD,
        role=Role.OFFICIAL,
        department=department,
    )


@pytest.fixture
def enterprise_user(population):
    return create_user(
        actor=None,
        username="firm",
        password=PASSWORD,
        role=Role.ENTERPRISE,
        enterprise_uscc=population["uscc"][0],
    )


def _registry() -> list[tuple]:
    """Everything the registry holds, for comparing before and after."""
    return [
        *Enterprise.objects.order_by("uscc").values_list(),
        *YearlyFacts.objects.order_by("id").values_list(),
        *Qualification.objects.order_by("id").values_list(),
    ]


def _registry_audit() -> int:
    return AuditEntry.objects.filter(target__in=REGISTRY).count()


def _wrong_check_character(code: str) -> str:
    right = stdnum_uscc.calc_check_digit(code[:-1])
    return code[:-1] + ("0" if right != "0" else "1")


BAD = {  # data row index → (column, bad value, words of the reason)
    2: ("uscc", None, "校验码不正确"),
    5: ("industry", "9999", "GB/T 4754-2017"),
    11: ("employees", "-5", "小于 0"),
    17: ("founded", "2023/08/13", "YYYY-MM-DD"),
}


def _bad_file(population: pl.DataFrame, path: Path) -> tuple[Path, set[tuple[int, str]]]:
    """The population as CSV, every employee count one higher, with four bad cells: a wrong
    check character, an industry code GB/T 4754-2017 does not have, a negative number and a
    date not written YYYY-MM-DD. Returns the file and the (row, column) of each bad cell."""
    write(population.with_columns(pl.col("employees") + 1), path)
    with path.open(encoding="utf-8-sig", newline="") as data:
        rows = list(csv.reader(data))
    header = rows[0]
    for index, (column, value, _words) in BAD.items():
        cell = header.index(column)
        row = rows[index + 1]
        row[cell] = _wrong_check_character(row[cell]) if value is None else value
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path, {(index + 2, column) for index, (column, _, _) in BAD.items()}


def _upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")


def _post_import(client, path: Path, mode: str = "all_or_nothing", name: str | None = None):
    return client.post(reverse("console:import"), {"file": _upload(path, name), "mode": mode})


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


# all or nothing, through the page and the API ----------------------------------------------


def test_bad_rows_store_nothing_and_every_one_is_reported_on_the_page(
    client, administrator, population, tmp_path
):
    client.force_login(administrator)
    first = _post_import(client, write(population.head(10), tmp_path / "first.csv"))
    assert first.status_code == 302
    before, audited = _registry(), _registry_audit()
    bad, expected = _bad_file(population, tmp_path / "bad.csv")

    posted = _post_import(client, bad)
    job = ImportJob.objects.latest("pk")
    assert posted.status_code == 302 and posted.url == reverse("console:import_job", args=[job.pk])
    assert job.status == ImportStatus.DONE and not job.applied
    assert (job.rows, job.rejected_rows, job.changed) == (population.height, 4, 0)
    assert _registry() == before and _registry_audit() == audited

    page = client.get(posted.url).content.decode()
    assert "未写入任何数据" in page and "名录保持原样" in page
    for row, column in expected:
        assert f'<td class="number">{row}</td><td>{column}</td>' in page
    for _column, _value, words in BAD.values():
        assert words in page

    download = client.get(reverse("console:import_rejections", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    rows = _csv_rows(b"".join(download.streaming_content))
    assert rows[0] == ["行号", "列", "原因"]
    assert {(int(r[0]), r[1]) for r in rows[1:]} == expected
    reasons = {(int(r[0]), r[1]): r[2] for r in rows[1:]}
    for index, (column, _value, words) in BAD.items():
        assert words in reasons[(index + 2, column)]


def test_bad_rows_store_nothing_through_the_api(client, administrator, population, tmp_path):
    _token, key = issue_token(actor=None, user=administrator, name="报送")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    good = write(population.head(10), tmp_path / "first.csv")
    assert client.post("/api/console/imports", {"file": _upload(good)}, **auth).status_code == 202
    before, audited = _registry(), _registry_audit()
    bad, expected = _bad_file(population, tmp_path / "bad.csv")

    created = client.post(
        "/api/console/imports", {"file": _upload(bad), "mode": "all_or_nothing"}, **auth
    )
    assert created.status_code == 202
    assert created.json()["file"] == "bad.csv"
    job = client.get(f"/api/console/imports/{created.json()['id']}", **auth).json()
    assert job["status"] == "done" and job["applied"] is False
    assert (job["rows"], job["rejected_rows"], job["rejections"]) == (population.height, 4, 4)
    assert _registry() == before and _registry_audit() == audited

    report = client.get(job["rejections_url"], **auth)
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    assert {(int(r[0]), r[1]) for r in _csv_rows(report.content)[1:]} == expected


def test_row_by_row_stores_the_good_rows(client, administrator, population, tmp_path):
    client.force_login(administrator)
    bad, _expected = _bad_file(population, tmp_path / "bad.csv")
    _post_import(client, bad, mode="row_by_row")
    job = ImportJob.objects.get()
    assert job.applied and job.rejected_rows == 4
    good = population.height - 4
    assert (job.enterprises_created, job.yearly_facts_created) == (good, good)
    assert Enterprise.objects.count() == good
    stored = set(Enterprise.objects.values_list("uscc", flat=True))
    for index in (5, 11, 17):
        assert population["uscc"][index] not in stored
    page = client.get(reverse("console:import_job", args=[job.pk])).content.decode()
    assert "已写入名录" in page and "下载完整的被拒行报告" in page


def test_importing_the_same_file_twice_changes_nothing(
    client, administrator, registry_csv, population
):
    client.force_login(administrator)
    _post_import(client, registry_csv)
    before, audited = _registry(), _registry_audit()
    _post_import(client, registry_csv)
    first, again = ImportJob.objects.order_by("pk")
    assert first.enterprises_created == population.height
    assert again.status == ImportStatus.DONE and again.applied and again.changed == 0
    assert _registry() == before and _registry_audit() == audited
    page = client.get(reverse("console:import_job", args=[again.pk])).content.decode()
    assert "没有任何改动" in page


def test_the_job_page_shows_progress_then_stops_polling(client, administrator, registry_csv):
    client.force_login(administrator)
    job = services.queue_import(actor=administrator, file=_upload(registry_csv))
    url = reverse("console:import_job", args=[job.pk])
    queued = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in queued and "<html" not in queued
    assert "等待后台任务执行" in queued and "<progress" in queued

    seen: list[tuple[str, int, int]] = []
    services.run_import(job.pk, on_progress=lambda *p: seen.append(p))
    assert seen[0] == (ImportStage.VALIDATING, 0, 40)
    assert (ImportStage.VALIDATING, 40, 40) in seen and seen[-1] == (ImportStage.STORING, 40, 40)
    done = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "已写入名录" in done
    job.refresh_from_db()
    assert (job.stage, job.rows_done, job.rows_total) == (ImportStage.STORING, 40, 40)


def test_a_running_job_shows_its_live_progress(client, administrator, registry_csv):
    from huiqi.console import progress

    client.force_login(administrator)
    job = services.queue_import(actor=administrator, file=_upload(registry_csv))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    progress.publish(job.pk, ImportStage.STORING, 15000, 40000)
    try:
        page = client.get(reverse("console:import_job", args=[job.pk])).content.decode()
    finally:
        progress.forget(job.pk)
    assert "正在写入：15000 / 40000 行" in page
    assert 'aria-valuenow="15000"' in page and 'aria-valuemax="40000"' in page


@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_a_background_thread(client, administrator, registry_csv, settings):
    settings.HUIQI_IMPORT_INLINE = False
    client.force_login(administrator)
    posted = _post_import(client, registry_csv)
    assert posted.status_code == 302
    executor.drain(timeout=60)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.applied
    assert job.enterprises_created == Enterprise.objects.count() == 40
    assert job.started_at >= job.requested_at and job.finished_at >= job.started_at


# upload checks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("registry.txt", b"uscc,name\n", "不支持的文件格式"),
        ("registry.csv", b"uscc,name\n\xff\xfe\xff\n", "无法识别 CSV 文件的字符编码"),
        ("registry.csv", "uscc,name\n".encode("utf-16"), "含有二进制内容"),
        ("registry.xlsx", b"uscc,name\n", "不是有效的 Excel"),
        ("registry.csv", b"", "空文件"),
    ],
)
def test_a_bad_file_is_refused_next_to_the_field(client, administrator, name, content, message):
    client.force_login(administrator)
    page = client.post(
        reverse("console:import"),
        {"file": SimpleUploadedFile(name, content), "mode": "all_or_nothing"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert message in text
    assert 'aria-invalid="true"' in text and 'id="id_file_error"' in text
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, administrator, registry_csv, monkeypatch):
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 1024)
    client.force_login(administrator)
    text = _post_import(client, registry_csv).content.decode()
    assert "文件过大" in text and 'id="id_file_error"' in text
    assert not ImportJob.objects.exists()


def test_a_file_the_import_refuses_fails_the_job_with_the_reason(client, administrator, tmp_path):
    path = tmp_path / "colour.csv"
    path.write_text("uscc,name,industry,district,founded,colour\n1,2,3,4,5,6\n", encoding="utf-8")
    client.force_login(administrator)
    posted = _post_import(client, path)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and "无法识别的列：colour" in job.error
    page = client.get(posted.url).content.decode()
    assert "无法识别的列：colour" in page and "名录没有任何改动" in page
    api = client.get(f"/api/console/imports/{job.pk}").json()
    assert api["status"] == "failed" and "colour" in api["error"]


def test_the_uploaded_file_is_kept_outside_the_web_root_under_a_random_name(
    client, administrator, registry_csv, settings
):
    client.force_login(administrator)
    _post_import(client, registry_csv, name="名录 2025.csv")
    job = ImportJob.objects.get()
    stored = Path(job.file.path)
    assert stored.parent == Path(settings.MEDIA_ROOT) / "imports"
    assert stored.suffix == ".csv" and "名录" not in stored.name and len(stored.stem) == 32
    assert job.original_name == "名录 2025.csv"
    assert stored.read_bytes() == registry_csv.read_bytes()
    assert client.get("/files/" + job.file.name).status_code == 404


def test_an_invalid_mode_is_refused(client, administrator, registry_csv):
    client.force_login(administrator)
    text = _post_import(client, registry_csv, mode="sometimes").content.decode()
    assert 'id="id_mode_error"' in text
    assert not ImportJob.objects.exists()


# who may import and see jobs -----------------------------------------------------------------


def test_an_official_sees_why_but_cannot_import(client, official, registry_csv):
    client.force_login(official)
    page = client.get(reverse("console:import"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "只有管理员可以导入企业名录" in text and 'type="file"' not in text
    assert _post_import(client, registry_csv).status_code == 403
    _token, key = issue_token(actor=None, user=official, name="t")
    api = client.post(
        "/api/console/imports", {"file": _upload(registry_csv)}, HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert api.status_code == 403 and api.json()["detail"] == "只有管理员可以导入企业名录"
    assert not ImportJob.objects.exists() and not Enterprise.objects.exists()


def test_others_get_404_or_the_login_page(client, enterprise_user, registry_csv):
    url = reverse("console:import")
    assert client.get(url).status_code == 302
    assert reverse("accounts:login") in client.get(url).url
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 404
    assert _post_import(client, registry_csv).status_code == 404
    assert client.get(reverse("console:home")).status_code == 404
    assert client.get(reverse("console:audit")).status_code == 404


def test_only_the_requester_and_administrators_see_a_job_and_its_report(
    client, administrator, official, population, tmp_path
):
    client.force_login(administrator)
    bad, _expected = _bad_file(population, tmp_path / "bad.csv")
    _post_import(client, bad)
    job = ImportJob.objects.get()
    urls = [
        reverse("console:import_job", args=[job.pk]),
        reverse("console:import_rejections", args=[job.pk]),
        f"/api/console/imports/{job.pk}",
        f"/api/console/imports/{job.pk}/rejections",
    ]
    other = create_user(actor=None, username="admin2", password=PASSWORD, role=Role.ADMINISTRATOR)
    client.force_login(other)
    assert [client.get(u).status_code for u in urls] == [200, 200, 200, 200]
    client.force_login(official)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404, 404]
    client.logout()
    assert client.get(urls[0]).status_code == 302 and client.get(urls[2]).status_code == 401


# management command ---------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_report(registry_csv, population, tmp_path):
    out = io.StringIO()
    call_command("import_registry", str(registry_csv), stdout=out)
    text = out.getvalue()
    assert "已完成" in text and "企业" in text and f"{population.height}" in text
    assert Enterprise.objects.count() == population.height
    job = ImportJob.objects.get()
    assert job.requested_by is None and job.applied

    bad, _expected = _bad_file(population, tmp_path / "bad.csv")
    before = _registry()
    out = io.StringIO()
    with pytest.raises(CommandError, match="有 4 行被拒"):
        call_command("import_registry", str(bad), stdout=out)
    assert "校验码不正确" in out.getvalue() and _registry() == before

    call_command("import_registry", str(bad), "--row-by-row", stdout=io.StringIO())
    assert YearlyFacts.objects.filter(employees__gt=0).count() >= population.height - 4
    assert ImportJob.objects.latest("pk").mode == "row_by_row"


def test_the_command_reports_an_unreadable_file(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("uscc\n".encode("utf-16"))
    with pytest.raises(CommandError, match="含有二进制内容"):
        call_command("import_registry", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("import_registry", str(tmp_path / "missing.csv"), stdout=io.StringIO())


# the audit log ---------------------------------------------------------------------------------


def test_the_audit_log_shows_changes_as_a_readable_diff(
    client, administrator, population, tmp_path
):
    client.force_login(administrator)
    _post_import(client, write(population.head(3), tmp_path / "a.csv"))
    first = population.row(0, named=True)
    changed = population.head(3).with_columns(
        pl.when(pl.col("uscc") == first["uscc"])
        .then(pl.col("employees") + 5)
        .otherwise(pl.col("employees"))
        .alias("employees")
    )
    _post_import(client, write(changed, tmp_path / "b.csv"))
    page = client.get(
        reverse("console:audit"), {"action": "update", "target": "enterprises.yearlyfacts"}
    )
    text = page.content.decode()
    assert "共 1 条记录" in text
    assert "从业人员" in text  # the field's label, not its name
    assert f"<del>{first['employees']}</del>" in text
    assert f"<ins>{first['employees'] + 5}</ins>" in text
    created = client.get(reverse("console:audit"), {"action": "create", "actor": "admin"})
    assert first["name"] in created.content.decode()


def test_the_audit_log_filters_and_pages(client, administrator, registry_csv):
    client.force_login(administrator)
    _post_import(client, registry_csv)
    url = reverse("console:audit")
    everything = client.get(url).content.decode()
    assert "第 1 / " in everything and "下一页" in everything
    second = client.get(url, {"actor": "admin", "page": 2}).content.decode()
    assert "第 2 / " in second and "actor=admin&amp;page=1" in second
    nothing = client.get(url, {"date_from": "2001-01-01", "date_to": "2001-01-02"})
    assert "没有符合条件的记录" in nothing.content.decode()
    bad = client.get(url, {"date_from": "2025-02-01", "date_to": "2025-01-01"}).content.decode()
    assert "截止日期早于起始日期" in bad and 'aria-invalid="true"' in bad
    system = client.get(url, {"actor": "系统", "target": "console.importjob"}).content.decode()
    assert "名录导入" in system and "已完成" in system


def test_an_official_reads_the_entries_of_their_department_only(
    client, administrator, official, department
):
    colleague = create_user(
        actor=official,
        username="colleague",
        password=PASSWORD,
        role=Role.OFFICIAL,
        department=department,
    )
    issue_token(actor=colleague, user=colleague, name="同事的令牌")
    issue_token(actor=administrator, user=administrator, name="管理员的令牌")
    client.force_login(official)
    text = client.get(reverse("console:audit")).content.decode()
    assert "同事的令牌" in text and "colleague" in text
    assert "管理员的令牌" not in text
    _token, key = issue_token(actor=None, user=official, name="t")
    api = client.get("/api/console/audit", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert {item["actor"] for item in api["items"]} == {"official", "colleague"}


def test_the_audit_api_is_for_administrators_and_officials(client, administrator, enterprise_user):
    _t, admin_key = issue_token(actor=administrator, user=administrator, name="审计")
    listed = client.get(
        "/api/console/audit",
        {"action": "create", "target": "accounts.apitoken"},
        HTTP_AUTHORIZATION=f"Bearer {admin_key}",
    )
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1 and body["items"][0]["actor"] == "admin"
    assert body["items"][0]["after"]["name"] == "审计"
    wrong = client.get(
        "/api/console/audit", {"date_from": "昨天"}, HTTP_AUTHORIZATION=f"Bearer {admin_key}"
    )
    assert wrong.status_code == 422 and "date_from" in wrong.json()["detail"]
    _t, key = issue_token(actor=None, user=enterprise_user, name="t")
    refused = client.get("/api/console/audit", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert refused.status_code == 403
    assert client.get("/api/console/audit").status_code == 401


def test_job_changes_are_audited(client, administrator, registry_csv):
    client.force_login(administrator)
    _post_import(client, registry_csv)
    job = ImportJob.objects.get()
    entries = list(AuditEntry.objects.about(job))
    assert [e.action for e in entries] == [Action.CREATE, Action.UPDATE, Action.UPDATE]
    assert entries[0].actor == administrator and entries[0].after["original_name"] == "registry.csv"
    assert entries[-1].before["status"] == "running" and entries[-1].after["status"] == "done"
    assert entries[-1].after["enterprises_created"] == 40


# the overview ----------------------------------------------------------------------------------


def test_the_console_home_for_an_official(
    client, administrator, official, registry_csv, population
):
    client.force_login(administrator)
    _post_import(client, registry_csv)
    client.force_login(official)
    page = client.get(reverse("console:home"))
    assert page.status_code == 200
    text = page.content.decode()
    for name in (
        "policies:manage",
        "enterprises:list",
        "screening:runs",
        "console:import",
        "console:audit",
    ):
        assert f'href="{reverse(name)}"' in text
    assert f"范围内企业 <strong>{population.height}</strong> 户" in text
    districts = population.group_by("district").len()
    names = {d.code: d.name for d in city("220100").districts}
    for district, n in districts.iter_rows():
        row = f'<td>{district}</td><td>{names[district]}</td><td class="number">{n}</td>'
        assert row in text
    assert "最近的名录导入" not in text  # imports are the administrators'


def test_the_console_home_for_an_administrator_lists_the_imports(
    client, administrator, registry_csv
):
    client.force_login(administrator)
    _post_import(client, registry_csv)
    text = client.get(reverse("console:home")).content.decode()
    job = ImportJob.objects.get()
    assert "最近的名录导入" in text and reverse("console:import_job", args=[job.pk]) in text
    assert "全部地区" in text


def test_the_console_needs_a_login(client):
    response = client.get(reverse("console:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url
