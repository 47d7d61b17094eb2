"""免申即享 runs (长春 条例 第三十五条): request one, let a worker claim and execute it.

- :func:`request_run` queues a run: an official for their department's jurisdiction, an
  administrator (or the system) for any; a web request never does more.
- :func:`claim_next_run` hands the oldest queued run to one worker only.
- :func:`execute_run` screens the registry inside the database (the compiled criteria over
  the population view, :mod:`huiqi.screening.population`; never a Python loop per
  enterprise), grants the 免申即享 benefits to the eligible enterprises (第三十五条第三款),
  pushes a notice with the reasons to the eligible and possibly eligible ones (第三十五条第二款)
  and records the counts, the duration and the rule-set version. Each policy's grants and
  notices commit together, and the progress commits after each policy, so a page polling the
  run sees it move.

For a policy, only the enterprises within both the run's jurisdiction and the policy's
(the district's 行政区划代码 lies within it; national policies: every enterprise) are
screened, as :func:`huiqi.rules.policies.jurisdictions_for` decides for one enterprise, and
only policies open on the screening date (:meth:`Window.is_open`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.http import Http404
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.accounts.validators import validate_division
from huiqi.audit import services as audit
from huiqi.audit.models import Action
from huiqi.enterprises.models import Enterprise
from huiqi.errors import UserError
from huiqi.policies.models import PolicyVersion
from huiqi.policies.models import Status as PolicyStatus
from huiqi.rules.criteria import Eligibility, PolicyScreen, explain, screen
from huiqi.rules.jurisdictions import NATIONAL
from huiqi.rules.policies import Match, Mode, Policy, rule_set_version

from .models import Entitlement, Notice, NoticeEligibility, RunStatus, ScreeningRun
from .population import VIEW

logger = logging.getLogger(__name__)

BATCH = 2000
"""Rows per INSERT of grants and notices."""
_AMOUNT_PLACES = Decimal("0.0001")
_NOTICE_COLUMNS = ("enterprise", "policy_version", "run", "eligibility", "reasons", "created_at")
_ENTITLEMENT_FIELDS = ("enterprise", "policy_version", "run", "amount", "status")


class ScreeningError(UserError):
    """A run that cannot be executed as asked (already finished, taken by another worker)."""


# who may do what ---------------------------------------------------------------------------


def check_staff(user: Any) -> None:
    """Runs are for officials and administrators."""
    if not authz.is_staff(user):
        raise PermissionDenied("只有部门工作人员和管理员可以使用免申即享筛查")


def check_enterprise(user: Any) -> None:
    """Notices and benefits are read by enterprise users."""
    if authz.enterprise_of(user) is None:
        raise PermissionDenied("只有企业用户可以查看政策推送和免申即享待遇")


# requesting -------------------------------------------------------------------------------


def request_run(
    actor: Any,
    policy_version: PolicyVersion | None = None,
    on: date | None = None,
    *,
    jurisdiction: str | None = None,
) -> ScreeningRun:
    """Queue a run of one published policy version (or, without one, of every published
    policy that applies in the jurisdiction) on the screening date ``on`` (default today).

    An official screens their department's jurisdiction (or a division under it); an
    administrator, or the system (``actor`` None), any jurisdiction or, without one, the
    whole registry."""
    scope = _scope_of(actor, jurisdiction)
    if policy_version is not None:
        policy_version = PolicyVersion.objects.get(pk=policy_version.pk)  # its status now
        if policy_version.status != PolicyStatus.PUBLISHED:
            raise ValidationError({"policy_version": "只能筛查已发布的政策版本"})
        if _overlap(_prefix(scope), _prefix(policy_version.jurisdiction)) is None:
            message = f"政策“{policy_version.title}”的适用地区不在筛查范围内"
            if authz.official_prefix(actor) is not None:
                raise PermissionDenied(message)
            raise ValidationError({"policy_version": message})
    elif not versions_in_scope(scope):
        raise ValidationError({"policy_version": "筛查范围内没有已发布的政策"})
    return _create(actor, policy_version, on or timezone.localdate(), scope)


@transaction.atomic
def _create(actor: Any, policy_version: PolicyVersion | None, on: date, scope: str) -> ScreeningRun:
    run = ScreeningRun.objects.create(
        policy_version=policy_version, jurisdiction=scope, on=on, requested_by=actor
    )
    after = audit.snapshot(run, ("policy_version", "jurisdiction", "on", "status"))
    after["on"] = on.isoformat()
    audit.record([audit.entry(actor, Action.CREATE, run, None, after)])
    return run


def _scope_of(actor: Any, jurisdiction: str | None) -> str:
    """The jurisdiction a run of ``actor`` covers ("" for the whole registry)."""
    if jurisdiction:
        try:
            validate_division(jurisdiction)
        except ValidationError as exc:
            raise ValidationError({"jurisdiction": exc.messages}) from None
    if actor is None or authz.is_administrator(actor):
        return jurisdiction or ""
    prefix = authz.official_prefix(actor)
    if prefix is None:
        raise PermissionDenied("只有部门工作人员和管理员可以发起筛查")
    own = actor.department.jurisdiction
    if jurisdiction and not jurisdiction.startswith(prefix):
        raise PermissionDenied(f"筛查范围 {jurisdiction} 不在本部门辖区 {own} 内")
    return jurisdiction or own


def versions_in_scope(jurisdiction: str) -> list[PolicyVersion]:
    """The published policy versions that apply to some enterprise of ``jurisdiction``
    ("" for all): those of the jurisdiction, the levels above it and the divisions under it."""
    prefix = _prefix(jurisdiction)
    published = PolicyVersion.objects.published().select_related("record")
    return [
        v
        for v in published.order_by("record__slug")
        if _overlap(prefix, _prefix(v.jurisdiction)) is not None
    ]


def versions_of(run: ScreeningRun) -> list[PolicyVersion]:
    """The policy versions a run screens."""
    if run.policy_version_id is not None:
        return [run.policy_version]
    return versions_in_scope(run.jurisdiction)


def _prefix(code: str) -> str:
    """The district prefix of a jurisdiction's enterprises: 220100 → 2201; "" and cn → all."""
    if not code or code == NATIONAL:
        return ""
    return authz.division_prefix(code)


def _overlap(a: str, b: str) -> str | None:
    """The prefix of the districts within both prefixes, or None when they do not meet."""
    if a.startswith(b):
        return a
    if b.startswith(a):
        return b
    return None


# claiming ---------------------------------------------------------------------------------


def claim_next_run() -> ScreeningRun | None:
    """The oldest queued run, now running and this caller's alone; None when none is queued.
    Two workers never get the same run: PostgreSQL skips the rows another worker has locked,
    SQLite takes a run only if its ``UPDATE … WHERE status = 'queued'`` changed the row."""
    queued = ScreeningRun.objects.filter(status=RunStatus.QUEUED).order_by("requested_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            run = queued.select_for_update(skip_locked=True).first()
            if run is None:
                return None
            _mark_running(run)
            return run
    while True:
        pk = queued.values_list("pk", flat=True).first()
        if pk is None:
            return None
        if _claim(pk):
            return ScreeningRun.objects.get(pk=pk)


@transaction.atomic
def _claim(pk: int) -> bool:
    """Mark a queued run running if it still is; whether this caller got it."""
    now = timezone.now()
    taken = ScreeningRun.objects.filter(pk=pk, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now
    )
    if taken:
        run = ScreeningRun(pk=pk)
        before, after = {"status": RunStatus.QUEUED.value}, {"status": RunStatus.RUNNING.value}
        audit.record([audit.entry(None, Action.UPDATE, run, before, after)])
    return bool(taken)


def _mark_running(run: ScreeningRun) -> None:
    """Inside the caller's transaction, with the row locked."""
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    before, after = {"status": RunStatus.QUEUED.value}, {"status": RunStatus.RUNNING.value}
    audit.record([audit.entry(None, Action.UPDATE, run, before, after)])


# executing --------------------------------------------------------------------------------


def execute_run(
    run: ScreeningRun, progress: Callable[[ScreeningRun], None] | None = None
) -> ScreeningRun:
    """Execute a run: a queued one is claimed first; a running one must come from
    :func:`claim_next_run`. ``progress`` is told the run after each policy. Returns the run,
    done, or failed with the reason in ``error``."""
    if run.status == RunStatus.QUEUED:
        if not _claim(run.pk):
            run.refresh_from_db()
            raise ScreeningError(f"筛查 #{run.pk} 已由其他进程执行（{run.get_status_display()}）")
        run.refresh_from_db()
    elif run.status != RunStatus.RUNNING:
        raise ScreeningError(f"筛查 #{run.pk} 已结束（{run.get_status_display()}），不能再次执行")
    try:
        _screen(run, progress)
    except Exception as exc:
        if not isinstance(exc, UserError | ValidationError):
            logger.exception("screening run %s failed", run.pk)
        _finish(run, RunStatus.FAILED, _message(exc))
        return run
    _finish(run, RunStatus.DONE)
    return run


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, UserError):
        return str(exc)
    return f"筛查出错：{exc}"


@transaction.atomic
def _finish(run: ScreeningRun, status: RunStatus, error: str = "") -> None:
    before = {"status": run.status}
    run.status = status
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "counts", "progress_done"])
    after = {"status": status.value, "totals": run.totals(), "error": error}
    audit.record([audit.entry(None, Action.UPDATE, run, before, after)])


def _screen(run: ScreeningRun, progress: Callable[[ScreeningRun], None] | None) -> None:
    versions = versions_of(run)
    withdrawn = [v for v in versions if v.status != PolicyStatus.PUBLISHED]
    if withdrawn:
        version = withdrawn[0]
        raise ScreeningError(
            f"政策“{version.title}”第{version.number}版已{version.get_status_display()}，不再筛查"
        )
    screened = [v for v in versions if v.policy.window.is_open(run.on)]
    run.skipped = [v.pk for v in versions if v not in screened]
    run.progress_total = len(screened)
    run.progress_done = 0
    run.counts = {}
    scope = _prefix(run.jurisdiction)
    run.enterprises = Enterprise.objects.filter(district__startswith=scope).count()
    run.rule_set_version = rule_set_version([v.policy for v in screened])
    run.save(
        update_fields=[
            "skipped",
            "progress_total",
            "progress_done",
            "counts",
            "enterprises",
            "rule_set_version",
        ]
    )
    groups: dict[str, list[PolicyVersion]] = {}
    for version in screened:
        overlap = _overlap(scope, _prefix(version.jurisdiction))
        assert overlap is not None  # versions_of keeps only the versions in scope
        groups.setdefault(overlap, []).append(version)
    connection.ensure_connection()
    raw = connection.connection
    engine = "postgres" if connection.vendor == "postgresql" else "sqlite"
    for prefix, group in groups.items():
        with _population(raw, prefix) as table:
            results = screen(
                raw,
                {str(v.pk): v.policy.criteria for v in group},
                run.on,
                engine=engine,
                table=table,
            )
            bases = _amount_bases(raw, table, group)
        ids = dict(Enterprise.objects.filter(district__startswith=prefix).values_list("uscc", "id"))
        for version in group:
            run.counts[str(version.pk)] = _write(run, version, results[str(version.pk)], ids, bases)
            run.progress_done += 1
            ScreeningRun.objects.filter(pk=run.pk).update(
                counts=run.counts, progress_done=run.progress_done
            )
            if progress is not None:
                progress(run)


@contextmanager
def _population(raw: Any, prefix: str) -> Iterator[str]:
    """The table of the enterprises whose district starts with ``prefix``: the population
    view itself, or a temporary view over it, dropped afterwards."""
    if not prefix:
        yield VIEW
        return
    if not prefix.isdigit():
        raise ValueError(f"not a division prefix: {prefix!r}")
    table = f"screening_scope_{prefix}"
    raw.execute(f"DROP VIEW IF EXISTS {table}")
    raw.execute(
        f"CREATE TEMPORARY VIEW {table} AS SELECT * FROM {VIEW} WHERE district LIKE '{prefix}%'"
    )
    try:
        yield table
    finally:
        raw.execute(f"DROP VIEW IF EXISTS {table}")


def _amount_bases(
    raw: Any, table: str, versions: Iterable[PolicyVersion]
) -> dict[str, dict[str, Any]]:
    """Per fact a 免申即享 amount is a rate of (研发费用 …), each enterprise's value."""
    facts = sorted(
        {
            v.policy.benefit.amount.fact
            for v in versions
            if v.policy.mode is Mode.AUTO_GRANT
            and v.policy.benefit.amount is not None
            and v.policy.benefit.amount.fact is not None
        }
    )
    if not facts:
        return {}
    rows = raw.execute(f"SELECT uscc, {', '.join(facts)} FROM {table}").fetchall()
    return {fact: {row[0]: row[1 + i] for row in rows} for i, fact in enumerate(facts)}


class _Reasons:
    """The reasons of a policy's results as JSON text, built once per compact code (a
    policy's results share a handful of codes)."""

    def __init__(self, policy: Policy):
        self.policy = policy
        self.built: dict[int, str] = {}

    def __call__(self, code: int) -> str:
        found = self.built.get(code)
        if found is None:
            found = self.built[code] = json.dumps(reasons(self.policy, code), ensure_ascii=False)
        return found


def reasons(policy: Policy, code: int) -> dict[str, Any]:
    """What a notice tells the enterprise: the result, each condition with its result (in
    Chinese), the facts to provide (and those the department obtains itself: 长春 条例
    第三十五条第三款), the next step and the legal basis — rebuilt from the compact code."""
    found = Match(policy, explain(policy.criteria, code), None).to_dict()
    return {
        "status": found["status"],
        "summary": found["summary"],
        "next_step": found["next_step"],
        "conditions": [
            {k: c[k] for k in ("condition", "status", "decisive", "reason")}
            for c in found["conditions"]
        ],
        "to_provide": found["to_provide"],
        "to_obtain": found["to_obtain"],
        "citations": [
            {k: c[k] for k in ("text", "source", "node", "kind", "draft")}
            for c in found["citations"]
        ],
    }


def _write(
    run: ScreeningRun,
    version: PolicyVersion,
    result: PolicyScreen,
    ids: dict[str, int],
    bases: dict[str, dict[str, Any]],
) -> dict[str, int]:
    """One policy's notices and grants, in one transaction; its counts."""
    counts = result.counts()
    policy = version.policy
    explained = _Reasons(policy)
    with transaction.atomic():
        # One writer per policy version at a time: the new grants and notices are exact.
        PolicyVersion.objects.select_for_update().filter(pk=version.pk).exists()
        noticed = dict(
            Notice.objects.filter(policy_version=version).values_list(
                "enterprise_id", "eligibility"
            )
        )
        now = timezone.now()
        created = Notice._meta.get_field("created_at").get_db_prep_save(now, connection)
        degree = {2: NoticeEligibility.ELIGIBLE.value, 1: NoticeEligibility.POSSIBLY.value}
        notices = [
            (ids[uscc], version.pk, run.pk, degree[value], explained(code), created)
            for uscc, value, code in zip(result.uscc, result.values, result.codes, strict=True)
            if value and ids[uscc] not in noticed
        ]
        _insert(Notice, _NOTICE_COLUMNS, notices)
        upgraded = _upgrade(run, version, result, ids, noticed, explained, now)
        granted: list[Entitlement] = []
        if policy.mode is Mode.AUTO_GRANT:
            held = set(
                Entitlement.objects.filter(policy_version=version).values_list(
                    "enterprise_id", flat=True
                )
            )
            granted = [
                Entitlement(
                    enterprise_id=ids[uscc],
                    policy_version=version,
                    run=run,
                    granted_at=now,
                    amount=_amount(policy, uscc, bases),
                )
                for uscc in result.enterprises(Eligibility.ELIGIBLE)
                if ids[uscc] not in held
            ]
            Entitlement.objects.bulk_create(granted, batch_size=BATCH)
            audit.record(
                audit.entry(
                    run.requested_by,
                    Action.CREATE,
                    e,
                    None,
                    {**audit.snapshot(e, _ENTITLEMENT_FIELDS), "amount": _text(e.amount)},
                )
                for e in granted
            )
    return {
        "eligible": counts[Eligibility.ELIGIBLE],
        "possibly": counts[Eligibility.POSSIBLY],
        "not_eligible": counts[Eligibility.NOT_ELIGIBLE],
        "granted_new": len(granted),
        "notices_new": len(notices),
        "notices_upgraded": upgraded,
    }


def _upgrade(
    run: ScreeningRun,
    version: PolicyVersion,
    result: PolicyScreen,
    ids: dict[str, int],
    noticed: dict[int, str],
    explained: Callable[[int], Any],
    now: Any,
) -> int:
    """Notices that said 可能符合 where the enterprise is now eligible (its facts became
    known): the notice is updated to 符合 with the new reasons, marked unread and tied to this
    run, so the inbox never keeps a stale “possibly” (the history is in the audit log)."""
    codes = {
        ids[uscc]: code
        for uscc, value, code in zip(result.uscc, result.values, result.codes, strict=True)
        if value == 2 and noticed.get(ids[uscc]) == NoticeEligibility.POSSIBLY
    }
    if not codes:
        return 0
    changed = list(Notice.objects.filter(policy_version=version, enterprise_id__in=codes))
    entries = []
    for notice in changed:
        before = {"eligibility": notice.eligibility, "run": notice.run_id}
        notice.eligibility = NoticeEligibility.ELIGIBLE
        notice.reasons = explained(codes[notice.enterprise_id])
        notice.run = run
        notice.created_at, notice.read_at = now, None
        after = {"eligibility": notice.eligibility, "run": run.pk}
        entries.append(audit.entry(run.requested_by, Action.UPDATE, notice, before, after))
    Notice.objects.bulk_update(
        changed, ["eligibility", "reasons", "run", "created_at", "read_at"], batch_size=BATCH
    )
    audit.record(entries)
    return len(changed)


def _insert(model: type[models.Model], names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows of database-ready values: PostgreSQL copies them in, SQLite inserts a
    batch per statement. A notice's reasons are serialised once per compact code, not once
    per row as model instances would be."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _amount(policy: Policy, uscc: str, bases: dict[str, dict[str, Any]]) -> Decimal | None:
    """The most the enterprise receives (万元): the stated sum, or the rate of its fact."""
    amount = policy.benefit.amount
    if amount is None:
        return None
    facts = {amount.fact: bases[amount.fact].get(uscc)} if amount.fact else {}
    value = policy.benefit.estimate(facts)
    return None if value is None else value.quantize(_AMOUNT_PLACES)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


# reading ----------------------------------------------------------------------------------


@transaction.atomic
def mark_read(actor: Any, notice: Notice) -> Notice:
    """The enterprise user marks one of their notices read (once; later calls change
    nothing). Someone else's notice is not found."""
    found = (
        Notice.objects.of_user(actor).select_for_update().filter(pk=notice.pk).first()
        if actor is not None
        else None
    )
    if found is None:
        raise Http404("未找到该消息")
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
        after = {"read_at": found.read_at.isoformat()}
        audit.record([audit.entry(actor, Action.UPDATE, found, {"read_at": None}, after)])
    return found


def screen_now(
    actor: Any = None,
    policy_version: PolicyVersion | None = None,
    on: date | None = None,
    *,
    jurisdiction: str | None = None,
    progress: Callable[[ScreeningRun], None] | None = None,
) -> ScreeningRun:
    """Request a run and execute it in this process at once (the ``screen`` command and the
    demo); the run is recorded like any other."""
    run = request_run(actor, policy_version, on, jurisdiction=jurisdiction)
    return execute_run(run, progress)
