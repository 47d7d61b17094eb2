"""免申即享 runs over the registry (长春 条例 第三十五条): the population view, the counts
against the per-enterprise matcher and the CLI screening, idempotent re-runs, new versions,
progress and status, and the worker's claims. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from huiqi.cli import main as cli
from huiqi.enterprises.facts import facts_of
from huiqi.enterprises.models import YEARLY_FACTS, Enterprise
from huiqi.enterprises.services import import_registry
from huiqi.policies import services as policies
from huiqi.policies.models import PolicyRecord, PolicyVersion
from huiqi.population import column_names, generate, write
from huiqi.rules.policies import Mode, Policy, bundled_policies, match, rule_set_version
from huiqi.screening import services
from huiqi.screening.models import Entitlement, Notice, RunStatus, ScreeningRun
from huiqi.screening.population import VIEW

ON = date(2026, 6, 1)
JURISDICTIONS = ("220100", "220000", "cn", "440300")


def bundled(*ids: str) -> list[Policy]:
    """The bundled policies of 长春, 吉林, 深圳 and the national ones (or those named)."""
    if ids:
        return [p for p in bundled_policies() if p.id in ids]
    return [p for p in bundled_policies() if p.jurisdiction in JURISDICTIONS]


def publish(policy: Policy, number: int | None = None) -> PolicyVersion:
    """``policy`` published in the policy library (:mod:`huiqi.policies.services`) as its
    first version, or as version ``number``, which supersedes the published one."""
    entry = policy.to_entry()
    if number is None:
        draft = policies.create_draft(None, entry)
    else:
        record = PolicyRecord.objects.get(slug=policy.id)
        draft = policies.new_version(None, record, {**entry, "version": number})
    return policies.publish(None, draft)


def registry(changchun: int = 240, shenzhen: int = 40) -> pl.DataFrame:
    """Synthetic enterprises of 长春 and 深圳 (one year of facts each)."""
    return pl.concat(
        [
            generate(changchun, seed=11, city="220100", year=2025),
            generate(shenzhen, seed=12, city="440300", year=2025),
        ]
    )


def load(frame: pl.DataFrame, folder: Path) -> None:
    """Import the frame into the registry as an administrator's CSV file would be."""
    report = import_registry(write(frame, folder / "registry.csv"), actor=None)
    assert report.applied and not report.rejections


@pytest.fixture
def population(tmp_path: Path) -> pl.DataFrame:
    frame = registry()
    load(frame, tmp_path)
    return frame


def _plain(value: object) -> object:
    """A value as SQLite and PostgreSQL both give it: dates as ISO text, booleans as 0/1."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _view_rows(where: str = "") -> dict[str, dict[str, object]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {VIEW} {where}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    return {row[0]: dict(zip(names, map(_plain, row), strict=True)) for row in rows}


# the population view --------------------------------------------------------------------


@pytest.mark.django_db
def test_view_has_the_population_columns_and_rows(population: pl.DataFrame) -> None:
    rows = _view_rows()
    assert len(rows) == population.height
    assert list(next(iter(rows.values()))) == list(column_names())
    for written in population.sample(12, seed=3).to_dicts():
        row = rows[written["uscc"]]
        assert row == {k: _plain(v) for k, v in written.items()}
        # the registry's facts of one enterprise (its latest year and periods) agree
        enterprise = Enterprise.objects.get(uscc=written["uscc"])
        facts = {k: _plain(v) for k, v in facts_of(enterprise, ON).items()}
        assert {k: float(v) if k in YEARLY_FACTS else v for k, v in facts.items()} == {
            k: v for k, v in row.items() if v is not None
        }


@pytest.mark.django_db
def test_view_takes_the_latest_year_and_the_latest_qualification_period(tmp_path: Path) -> None:
    frame = generate(3, seed=5, city="220100", year=2024)
    later = frame.with_columns(
        year=pl.lit(2025, dtype=pl.Int64),
        employees=pl.lit(77, dtype=pl.Int64),
        zjtx_from=pl.lit(date(2025, 3, 1)),
        zjtx_to=pl.lit(date(2028, 2, 28)),
        zjtx_first=pl.lit(date(2025, 3, 1)),
    )
    earlier = frame.with_columns(
        zjtx_from=pl.lit(date(2021, 3, 1)),
        zjtx_to=pl.lit(date(2024, 2, 28)),
        zjtx_first=pl.lit(date(2021, 3, 1)),
    )
    (tmp_path / "2025").mkdir()
    load(later, tmp_path / "2025")  # the later year and period first: order does not matter
    load(earlier, tmp_path)
    held = Enterprise.objects.get(uscc=frame["uscc"][0]).qualifications
    assert held.filter(kind="zjtx").count() == 2
    rows = _view_rows()
    assert len(rows) == 3
    for row in rows.values():
        assert (row["year"], row["employees"]) == (2025, 77)
        assert (row["zjtx_from"], row["zjtx_to"]) == ("2025-03-01", "2028-02-28")
        assert row["little_giant_from"] is None


# counts -----------------------------------------------------------------------------------


def _cli_counts(frame: pl.DataFrame, folder: Path) -> dict[str, Counter]:
    population = write(frame, folder / "population.sqlite")
    out = folder / "results.csv"
    args = ["screen", "--population", str(population), "--policies", "bundled"]
    assert cli([*args, "--on", ON.isoformat(), "--out", str(out)]) == 0
    counts: dict[str, Counter] = {}
    for row in pl.read_csv(out).iter_rows(named=True):
        counts.setdefault(row["policy"], Counter())[row["status"]] += 1
    return counts


@pytest.mark.django_db
def test_run_counts_agree_with_the_cli_and_with_matching(
    population: pl.DataFrame, tmp_path: Path, administrator
) -> None:
    policies = bundled()
    versions = {p.id: publish(p) for p in policies}
    run = services.screen_now(administrator, on=ON)
    assert run.status == RunStatus.DONE, run.error
    assert run.enterprises == population.height

    screened = [p for p in policies if p.window.is_open(ON)]
    assert sorted(run.counts) == sorted(str(versions[p.id].pk) for p in screened)
    assert run.skipped == [versions[p.id].pk for p in policies if not p.window.is_open(ON)]
    assert run.rule_set_version == rule_set_version(screened)

    by_slug = {versions[p.id].record.slug: run.counts[str(versions[p.id].pk)] for p in screened}
    cli_counts = _cli_counts(population, tmp_path)
    for slug, counts in by_slug.items():
        expected = cli_counts.get(slug, Counter())
        assert (counts["eligible"], counts["possibly"], counts["not_eligible"]) == (
            expected["eligible"],
            expected["possibly"],
            expected["not"],
        ), slug
    assert sum(c["eligible"] + c["possibly"] for c in by_slug.values()) > 0

    # every enterprise of a sample: its notices and grants are what the matcher decides
    sample = population.sample(25, seed=9).to_dicts()
    ids = dict(Enterprise.objects.values_list("uscc", "id"))
    notices = {
        (n.enterprise_id, n.policy_version_id): n.eligibility
        for n in Notice.objects.filter(enterprise_id__in=[ids[r["uscc"]] for r in sample])
    }
    grants = set(Entitlement.objects.values_list("enterprise_id", "policy_version_id"))
    checked = 0
    for facts in sample:
        for found in match(facts, policies, ON):
            key = (ids[facts["uscc"]], versions[found.policy.id].pk)
            status = found.status.value
            assert notices.get(key, "not") == status, (facts["uscc"], found.policy.id)
            auto = found.policy.mode is Mode.AUTO_GRANT and status == "eligible"
            assert (key in grants) == auto
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_notices_say_why_and_grants_carry_the_amount(population: pl.DataFrame) -> None:
    (policy,) = bundled("cn-small-micro-tax-relief")
    (zjtx,) = bundled("cc-zjtx-support")
    publish(policy)
    zjtx_version = publish(zjtx)
    run = services.screen_now(None, on=ON)
    assert run.status == RunStatus.DONE
    notice = Notice.objects.filter(eligibility="eligible").select_related("policy_version")[0]
    reasons = notice.reasons
    assert reasons["status"] == "eligible"
    assert reasons["next_step"].startswith("免申即享")
    assert all(
        c["reason"].startswith(("满足", "不满足", "无法判断")) for c in reasons["conditions"]
    )
    assert reasons["citations"][0]["source"] == "cn-sme-promotion-law-2017-09-01"
    possibly = Notice.objects.filter(eligibility="possibly").first()
    if possibly is not None:
        assert possibly.reasons["to_provide"] or possibly.reasons["to_obtain"]
    amounts = set(
        Entitlement.objects.filter(policy_version=zjtx_version).values_list("amount", flat=True)
    )
    assert amounts <= {zjtx.benefit.amount.value}
    assert run.counts[str(zjtx_version.pk)]["granted_new"] == len(
        Entitlement.objects.filter(policy_version=zjtx_version)
    )


# idempotence and versions -----------------------------------------------------------------


@pytest.mark.django_db
def test_rerun_grants_and_notifies_nothing_new(population: pl.DataFrame, administrator) -> None:
    for p in bundled():
        publish(p)
    first = services.screen_now(administrator, on=ON)
    notices, grants = Notice.objects.count(), Entitlement.objects.count()
    assert first.totals()["notices_new"] == notices > 0
    assert first.totals()["granted_new"] == grants > 0

    second = services.screen_now(administrator, on=ON)
    assert second.status == RunStatus.DONE
    assert (Notice.objects.count(), Entitlement.objects.count()) == (notices, grants)
    assert second.totals()["notices_new"] == second.totals()["granted_new"] == 0
    for key, counts in first.counts.items():
        assert second.counts[key]["eligible"] == counts["eligible"]
    assert second.rule_set_version == first.rule_set_version


@pytest.mark.django_db
def test_a_new_published_version_notifies_again(population: pl.DataFrame) -> None:
    (policy,) = bundled("cn-small-micro-tax-relief")
    first = publish(policy)
    run = services.screen_now(None, first, ON)
    counts = run.counts[str(first.pk)]
    assert counts["notices_new"] == counts["eligible"] + counts["possibly"] > 0

    second = publish(policy, number=2)
    again = services.screen_now(None, second, ON)
    new = again.counts[str(second.pk)]
    assert new["notices_new"] == new["eligible"] + new["possibly"] == counts["notices_new"]
    assert new["granted_new"] == new["eligible"]
    assert again.rule_set_version != run.rule_set_version
    assert Notice.objects.filter(policy_version=second).count() == new["notices_new"]
    assert Notice.objects.filter(policy_version=first).count() == counts["notices_new"]


@pytest.mark.django_db
def test_a_possibly_eligible_notice_becomes_eligible_when_the_facts_are_known(
    population: pl.DataFrame,
) -> None:
    """The re-run does not add a second notice; it updates the stale 可能符合 one."""
    from huiqi.enterprises.models import YearlyFacts

    (policy,) = bundled("cn-small-micro-tax-relief")  # 企业规模 属于 小型、微型
    version = publish(policy)
    enterprise = Enterprise.objects.filter(district__startswith="2201").first()
    facts = YearlyFacts.objects.filter(enterprise=enterprise)
    facts.update(employees=None, revenue=None, total_assets=None)
    services.screen_now(None, version, ON)
    notice = Notice.objects.get(enterprise=enterprise, policy_version=version)
    assert notice.eligibility == "possibly"
    notice.read_at = timezone.now()
    notice.save(update_fields=["read_at"])
    count = Notice.objects.count()

    facts.update(employees=5, revenue=50, total_assets=40)
    again = services.screen_now(None, version, ON)
    counts = again.counts[str(version.pk)]
    assert counts["notices_new"] == 0
    assert counts["notices_upgraded"] == 1
    assert Notice.objects.count() == count
    notice.refresh_from_db()
    assert (notice.eligibility, notice.run_id, notice.read_at) == ("eligible", again.pk, None)
    assert Entitlement.objects.filter(enterprise=enterprise, policy_version=version).exists()


# jurisdictions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_screens_only_its_jurisdiction(population: pl.DataFrame) -> None:
    from huiqi.accounts.models import Role
    from huiqi.accounts.services import create_department, create_user

    from .conftest import PASSWORD

    department = create_department(actor=None, name="深圳市中小企业服务局", jurisdiction="440300")
    official = create_user(
        actor=None,
        username="sz-official",
        password=PASSWORD,
        role=Role.OFFICIAL,
        department=department,
    )
    versions = {p.id: publish(p) for p in bundled()}
    run = services.screen_now(official, on=ON)
    assert run.jurisdiction == "440300"
    shenzhen = population.filter(pl.col("district").str.starts_with("4403")).height
    assert run.enterprises == shenzhen == 40
    national = run.counts[str(versions["cn-small-micro-tax-relief"].pk)]
    assert national["eligible"] + national["possibly"] + national["not_eligible"] == shenzhen
    assert str(versions["cc-zjtx-support"].pk) not in run.counts
    screened = set(Notice.objects.values_list("enterprise__district", flat=True))
    assert screened and all(d.startswith("4403") for d in screened)


# progress, status, worker -----------------------------------------------------------------


@pytest.mark.django_db
def test_progress_and_status_transitions(population: pl.DataFrame, administrator) -> None:
    for p in bundled("cc-zjtx-support", "cn-small-micro-tax-relief", "cc-startup-loan"):
        publish(p)
    run = services.request_run(administrator, on=ON)
    assert (run.status, run.progress_done, run.started_at) == (RunStatus.QUEUED, 0, None)

    claimed = services.claim_next_run()
    assert claimed is not None and claimed.pk == run.pk
    assert claimed.status == RunStatus.RUNNING and claimed.started_at is not None

    seen: list[tuple[str, int, int]] = []

    def progress(current: ScreeningRun) -> None:
        stored = ScreeningRun.objects.get(pk=current.pk)
        seen.append((stored.status, stored.progress_done, stored.progress_total))

    done = services.execute_run(claimed, progress)
    assert seen == [("running", 1, 3), ("running", 2, 3), ("running", 3, 3)]
    stored = ScreeningRun.objects.get(pk=run.pk)
    assert stored.status == RunStatus.DONE and stored.percent == 100
    assert stored.duration is not None and stored.duration.total_seconds() >= 0
    assert stored.counts == done.counts and len(stored.counts) == 3
    with pytest.raises(services.ScreeningError):
        services.execute_run(stored)


@pytest.mark.django_db
def test_a_failed_run_records_the_reason(
    population: pl.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(*bundled("cc-zjtx-support"))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(services, "screen", broken)
    run = services.screen_now(None, on=ON)
    stored = ScreeningRun.objects.get(pk=run.pk)
    assert stored.status == RunStatus.FAILED
    assert stored.error == "筛查出错：数据库连接中断"
    assert stored.finished_at is not None
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_a_version_withdrawn_before_the_run_is_not_screened(population: pl.DataFrame) -> None:
    version = publish(*bundled("cc-zjtx-support"))
    run = services.request_run(None, version, ON)
    policies.withdraw(None, version)
    services.execute_run(run)
    assert run.status == RunStatus.FAILED
    assert "已撤回，不再筛查" in ScreeningRun.objects.get(pk=run.pk).error
    assert not Entitlement.objects.exists()
    with pytest.raises(ValidationError, match="只能筛查已发布的政策版本"):
        services.request_run(None, version, ON)


@pytest.mark.django_db
def test_a_run_is_claimed_once(population: pl.DataFrame) -> None:
    publish(*bundled("cc-zjtx-support"))
    run = services.request_run(None, on=ON)
    first, second = services.claim_next_run(), services.claim_next_run()
    assert first is not None and first.pk == run.pk
    assert second is None
    assert ScreeningRun.objects.get(pk=run.pk).status == RunStatus.RUNNING


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database locks whole tables across threads",
)
def test_two_workers_claim_a_run_once(tmp_path: Path) -> None:
    publish(*bundled("cc-zjtx-support"))
    runs = [services.request_run(None, on=ON) for _ in range(3)]
    barrier = threading.Barrier(2)
    claimed: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        barrier.wait()
        try:
            while (run := services.claim_next_run()) is not None:
                with lock:
                    claimed.append(run.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(claimed) == sorted(r.pk for r in runs)


@pytest.mark.django_db(transaction=True)
def test_the_worker_executes_queued_runs(tmp_path: Path) -> None:
    from huiqi.screening.worker import run_worker

    load(registry(30, 0), tmp_path)
    publish(*bundled("cc-zjtx-support"))
    run = services.request_run(None, on=ON)
    assert run_worker(threading.Event(), poll=0.01, once=True) == 1
    stored = ScreeningRun.objects.get(pk=run.pk)
    assert stored.status == RunStatus.DONE and stored.progress_done == 1


# management commands ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_screen_command_runs_now_and_prints_the_counts(population: pl.DataFrame) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    version = publish(*bundled("cc-zjtx-support"))
    out = StringIO()
    call_command("screen", "--policy", "cc-zjtx-support", "--on", ON.isoformat(), stdout=out)
    run = ScreeningRun.objects.get()
    counts = run.counts[str(version.pk)]
    text = out.getvalue()
    assert run.status == RunStatus.DONE and run.requested_by is None
    assert "已筛查 1/1 项政策" in text
    assert (
        f"cc-zjtx-support 第1版\t{counts['eligible']}\t{counts['possibly']}"
        f"\t{counts['not_eligible']}\t{counts['granted_new']}\t{counts['notices_new']}"
    ) in text
    with pytest.raises(CommandError, match="没有编号为“no-such”的已发布政策"):
        call_command("screen", "--policy", "no-such", stdout=out)
    with pytest.raises(CommandError, match="不是六位数字的行政区划代码"):
        call_command("screen", "--jurisdiction", "22", stdout=out)


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_processes_the_queue_and_exits(tmp_path: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    load(registry(20, 0), tmp_path)
    publish(*bundled("cc-zjtx-support"))
    runs = [services.request_run(None, on=ON) for _ in range(2)]
    out = StringIO()
    call_command("screening_worker", "--once", stdout=out)
    assert "已执行 2 次筛查" in out.getvalue()
    assert {r.status for r in ScreeningRun.objects.filter(pk__in=[r.pk for r in runs])} == {
        RunStatus.DONE
    }
