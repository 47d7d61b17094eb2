"""Applications (申报): the facts to ask, drafts, submission with the eligibility computed and
stored, and the officials' actions on the core's machine (:func:`huiqi.cases.services.transition`,
optimistic locking). Each operation is one transaction with its audit entries.

长春 条例 第三十五条第三款: 确需申报的，合理设置并公开申请条件，简化申报手续，对可以通过公共数据
平台提取的材料，不得要求企业重复提供 — the form asks only for the facts of the policy's criteria
that the registry does not hold (:func:`fact_plan`); a 直达快享 policy shows the held ones
prefilled for confirmation; a 免申即享 policy takes no application at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.accounts.models import User
from huiqi.audit import services as audit
from huiqi.audit.models import Action as AuditAction
from huiqi.cases import access
from huiqi.cases import services as cases
from huiqi.cases.machine import case_type
from huiqi.cases.models import Case
from huiqi.enterprises.facts import facts_of, jsonable
from huiqi.enterprises.models import Enterprise
from huiqi.errors import UserError
from huiqi.policies.models import PolicyVersion, Status
from huiqi.rules.citations import Citation, cite
from huiqi.rules.criteria import leaves
from huiqi.rules.criteria.nodes import inputs
from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.industries import industries
from huiqi.rules.policies import EnterpriseFactsError, Mode, Policy, checked_facts, match

from .casetype import KIND
from .models import Application

HELD_SOURCE = "政府部门共享数据"
_NOTHING = Q(pk__in=[])


@cache
def basis() -> Citation:
    """长春 条例 第三十五条第三款: 不得要求企业重复提供."""
    return cite("220100-sme-promotion-2025-04-03", "art_35/para_3")


class NoApplicationNeeded(UserError):
    """A 免申即享 policy: granted without an application."""


class NotApplicable(UserError):
    """The policy does not apply to the enterprise today (its district, its window)."""


# who sees what ----------------------------------------------------------------------------


def scope(user: Any) -> Q:
    """The applications ``user`` may see: an enterprise its own (drafts included); an
    official the submitted ones of their jurisdiction and below; an administrator every
    submitted one."""
    if authz.is_administrator(user):
        return Q(case__isnull=False)
    prefix = authz.official_prefix(user)
    if prefix is not None:
        return Q(case__jurisdiction__startswith=prefix)
    uscc = authz.enterprise_of(user)
    return Q(enterprise__uscc=uscc) if uscc is not None else _NOTHING


def visible(user: Any, pk: int) -> Application:
    """The application if ``user`` may see it, else 404 (existence does not leak)."""
    found = (
        Application.objects.filter(scope(user), pk=pk)
        .select_related("enterprise", "version__record", "case__department", "created_by")
        .first()
    )
    if found is None:
        raise Http404("没有这个申报")
    return found


def published_version(slug: str) -> PolicyVersion:
    """The published version of a policy, else 404."""
    version = (
        PolicyVersion.objects.published().select_related("record").filter(record__slug=slug).first()
    )
    if version is None:
        raise Http404("没有这项已发布的政策")
    return version


def enterprise_of(user: Any) -> Enterprise:
    """The registry enterprise of an enterprise user."""
    uscc = authz.enterprise_of(user)
    if uscc is None:
        raise PermissionDenied("只有企业用户可以申报政策")
    enterprise = (
        Enterprise.objects.prefetch_related("yearly_facts", "qualifications")
        .filter(uscc=uscc)
        .first()
    )
    if enterprise is None:
        raise NotApplicable(
            f"企业名录中没有本企业（{uscc}），平台无法调取共享数据，暂不能在线申报；"
            "请联系主管部门核实企业登记信息"
        )
    return enterprise


def require_application_mode(policy: Policy) -> None:
    """免申即享 needs no application (长春 条例 第三十五条第三款: 免予申报、直接享受)."""
    if policy.mode is Mode.AUTO_GRANT:
        raise NoApplicationNeeded(
            f"“{policy.title}”是免申即享政策，无需申报：符合条件的企业由{policy.department}"
            "依据政府部门共享数据直接兑现，请在“消息”和“可享政策”中查看"
            f"（{basis().text}：免予申报、直接享受）"
        )


# the facts to ask -------------------------------------------------------------------------


@dataclass(frozen=True)
class FactPlan:
    """The facts a policy's criteria read for one enterprise: those the registry holds (not
    asked; shown prefilled for 直达快享) and those it lacks (asked)."""

    policy: Policy
    held: dict[str, Any]
    asked: tuple[str, ...]
    registry: dict[str, Any]
    """Every fact the registry holds (the district decides which policies apply)."""

    @property
    def prefilled(self) -> bool:
        return self.policy.mode is Mode.FAST_TRACK

    def held_rows(self) -> list[dict[str, str]]:
        """The held facts for display: label, value in words, source."""
        return [
            {"name": name, "label": fact_label(name), "value": fact_text(name, value)}
            for name, value in self.held.items()
        ]


def criteria_inputs(policy: Policy) -> tuple[str, ...]:
    """The stored facts the policy's criteria read, in catalogue order."""
    used: set[str] = set()
    for condition in leaves(policy.criteria):
        used.update(inputs(condition))
    return tuple(name for name in catalogue().facts if name in used)


def fact_plan(enterprise: Enterprise, policy: Policy, on: date) -> FactPlan:
    """What the registry holds of the policy's criteria inputs, and what to ask. Facts of a
    complete government list (qualifications, listings, bonds) are never asked: the list is
    the record, and the registry's blank means none."""
    registry = facts_of(enterprise, on)
    facts = catalogue().facts
    held: dict[str, Any] = {}
    asked: list[str] = []
    for name in criteria_inputs(policy):
        if name in registry:
            held[name] = registry[name]
        elif not facts[name].complete:
            asked.append(name)
    return FactPlan(policy, held, tuple(asked), registry)


def fact_text(name: str, value: Any) -> str:
    item = catalogue().facts.get(name)
    if item is not None:
        value = _number_text(name, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        value = format(value.normalize(), "f")
    if item is not None and item.type is FactType.INDUSTRY and value in industries():
        return industries()[value].label
    unit = f" {item.unit}" if item is not None and item.unit else ""
    return f"{value}{unit}"


def fact_label(name: str) -> str:
    item = catalogue().facts.get(name)
    return item.label if item is not None else name


def _number_text(name: str, value: Any) -> Any:
    """A number given as text (as stored in JSON: "1234.5") read as a Decimal."""
    if isinstance(value, str) and catalogue().facts[name].type in (
        FactType.INTEGER,
        FactType.DECIMAL,
    ):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return value
    return value


def _given(plan: FactPlan, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The facts the enterprise gave, checked: only asked ones, valid together with the
    held ones (:func:`huiqi.rules.policies.checked_facts`)."""
    errors = {}
    for name in facts:
        if name in plan.held:
            errors[name] = f"平台已掌握{fact_label(name)}（{HELD_SOURCE}），不需要企业重复提供"
        elif name not in plan.asked:
            errors[name] = f"本政策不需要填报“{fact_label(name)}”"
    if errors:
        raise ValidationError(errors)
    given = {name: _number_text(name, value) for name, value in facts.items() if value is not None}
    try:
        checked = checked_facts({**plan.registry, **given}, "填报的信息")
    except EnterpriseFactsError as exc:
        raise ValidationError({exc.field or "__all__": str(exc)}) from None
    return {name: checked[name] for name in given if name in checked}


# drafts and submission --------------------------------------------------------------------

_TRACKED = ("facts_given", "confirmed", "case", "eligibility_status", "amount", "redeemed_on")


@transaction.atomic
def save_draft(
    *,
    actor: User,
    version: PolicyVersion,
    facts: Mapping[str, Any],
    application: Application | None = None,
    now: datetime | None = None,
) -> Application:
    """Create or update the enterprise's draft application for a published policy version."""
    enterprise = enterprise_of(actor)
    policy = version.policy
    require_application_mode(policy)
    now = now or timezone.now()
    plan = fact_plan(enterprise, policy, timezone.localdate(now))
    given = jsonable(_given(plan, facts))
    if application is None:
        before = None
        application = Application(
            enterprise=enterprise,
            version=version,
            content_hash=version.content_hash,
            mode=policy.mode.value,
            created_by=actor,
            created_at=now,
        )
    else:
        application = Application.objects.select_for_update().get(pk=application.pk)
        if application.enterprise_id != enterprise.pk:
            raise Http404("没有这个申报")
        if not application.is_draft:
            raise cases.InvalidTransition(f"申报已提交（{application.state_label}），不能再修改")
        before = audit.snapshot(application, _TRACKED)
    application.facts_given = given
    application.updated_at = now
    application.save()
    after = audit.snapshot(application, _TRACKED)
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    audit.record([audit.entry(actor, action, application, before, after)])
    return application


@transaction.atomic
def submit(
    *,
    actor: User,
    application: Application,
    confirmed: bool = False,
    now: datetime | None = None,
) -> Application:
    """Submit a draft: the eligibility is computed with the held and the given facts on the
    day of submission and stored with the policy version and its content hash; the case
    (已提交) goes to the department of the enterprise's district with its review deadline."""
    application = (
        Application.objects.select_for_update()
        .select_related("version__record", "enterprise")
        .get(pk=application.pk)
    )
    enterprise = enterprise_of(actor)
    if application.enterprise_id != enterprise.pk:
        raise Http404("没有这个申报")
    if not application.is_draft:
        raise cases.InvalidTransition(f"申报已提交（{application.state_label}），不能重复提交")
    version = application.version
    if version.status != Status.PUBLISHED:
        raise NotApplicable(
            f"政策“{version.title}”第{version.number}版已{version.get_status_display()}，"
            "请按现行版本重新申报"
        )
    policy = version.policy
    require_application_mode(policy)
    now = now or timezone.now()
    today = timezone.localdate(now)
    plan = fact_plan(enterprise, policy, today)
    if plan.prefilled and not confirmed:
        raise ValidationError({"confirmed": "请核对并确认预填的信息（直达快享）"})
    given = _given(plan, application.facts_given)
    results = match({**plan.registry, **given}, [policy], today)
    if not results:
        raise NotApplicable(
            f"“{policy.title}”今天不适用于本企业：适用地区 {policy.jurisdiction}，"
            f"申报期 {policy.window.text}"
        )
    result = results[0]
    try:
        department = cases.route(enterprise.district)
    except cases.NoDepartment as exc:
        raise NotApplicable(str(exc)) from None
    deadline = case_type(KIND).deadline(today, department.jurisdiction)
    case = Case(
        number=cases.next_number(case_type(KIND).prefix, today.year),
        kind=KIND,
        state=case_type(KIND).machine.initial,
        jurisdiction=department.jurisdiction,
        department=department,
        enterprise=enterprise,
        submitted_by=actor,
        subject_district=enterprise.district,
        title=f"申报：{policy.title}"[:200],
        content=(
            f"政策：{policy.title}（{version.record.slug} 第{version.number}版，"
            f"内容指纹 {version.content_hash}）\n兑现方式：{policy.mode.label}\n"
            f"资格判断：{result.summary}"
        ),
        received_at=now,
        received_on=today,
        due_on=deadline.due,
        due_basis=deadline.to_dict(),
        due_explanation=cases.explain(deadline),
    )
    case.full_clean(exclude=["receipt_digest"])
    case.save()
    cases.append_event(case, actor, "submit", "", case.state, note="", at=now)
    before = audit.snapshot(application, _TRACKED)
    application.case = case
    application.confirmed = plan.prefilled and confirmed
    application.facts_held = jsonable(plan.held)
    application.facts_given = jsonable(given)
    application.eligibility = result.to_dict()
    application.eligibility_status = result.status.value
    application.content_hash = version.content_hash
    application.updated_at = now
    application.save()
    case_after = audit.snapshot(case, ("number", "kind", "state", "department", "due_on"))
    audit.record(
        [
            audit.entry(actor, AuditAction.CREATE, case, None, case_after),
            audit.entry(
                actor,
                AuditAction.UPDATE,
                application,
                before,
                audit.snapshot(application, _TRACKED),
            ),
        ]
    )
    return application


# the officials' actions -------------------------------------------------------------------


def amount_of(raw: Any) -> Decimal:
    """A redeemed amount in 万元: positive, at most four decimals."""
    try:
        amount = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": "兑现金额应当是数字（万元）"}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({"amount": "兑现金额应当大于 0（万元）"})
    if amount.as_tuple().exponent < -4 or amount >= Decimal("1e10"):
        raise ValidationError({"amount": "兑现金额最多四位小数、不超过 100 亿万元"})
    return amount


@transaction.atomic
def act(
    actor: User,
    application: Application,
    action: str,
    *,
    expected_version: int,
    note: str = "",
    amount: Any = None,
    redeemed_on: date | None = None,
) -> Application:
    """Take an action of the application machine (受理, 审核通过, 不予通过, 兑现) through the
    core's transition (version check, permissions, event, audit). 兑现 records the amount
    (万元) and the date, also written into the event's note so the history keeps them."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.is_draft:
        raise cases.InvalidTransition("草稿尚未提交，不能办理")
    case = application.case
    if action == "redeem":
        if not access.is_handler(actor, case):
            raise PermissionDenied("只有办理部门工作人员可以兑现")
        errors = {}
        try:
            value = amount_of(amount) if amount not in (None, "") else None
        except ValidationError as exc:
            errors.update(exc.message_dict)
            value = None
        if value is None and "amount" not in errors:
            errors["amount"] = ["请填写兑现金额（万元）"]
        if redeemed_on is None:
            errors["redeemed_on"] = ["请填写兑现日期"]
        elif redeemed_on > timezone.localdate():
            errors["redeemed_on"] = ["兑现日期不能晚于今天"]
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(application, _TRACKED)
        application.amount = value
        application.redeemed_on = redeemed_on
        application.updated_at = timezone.now()
        application.save()
        recorded = f"兑现金额 {format(value, 'f')} 万元，兑现日期 {redeemed_on.isoformat()}"
        note = recorded + (f"；{note.strip()}" if note.strip() else "")
        audit.record(
            [
                audit.entry(
                    actor,
                    AuditAction.UPDATE,
                    application,
                    before,
                    audit.snapshot(application, _TRACKED),
                )
            ]
        )
    cases.transition(actor, case, action, expected_version=expected_version, note=note)
    application.case.refresh_from_db()
    return application
