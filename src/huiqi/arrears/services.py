"""Filing a payment-arrears complaint (拖欠账款投诉) and listing the confirmed arrears.

Intake checks the facts, computes the payment due date with the rules (a contract they cannot
place is refused next to the field at fault), checks the debtor's size at signing, and opens
the case on the core (numbering, first event, attachment, audit) in one transaction. Transfer
to the handling department goes through :func:`huiqi.cases.services.transition`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from huiqi.accounts import authz
from huiqi.accounts.models import User
from huiqi.accounts.validators import validate_uscc
from huiqi.audit import services as audit
from huiqi.audit.models import Action as AuditAction
from huiqi.cases import files
from huiqi.cases import services as cases
from huiqi.cases.models import Case
from huiqi.enterprises.models import Enterprise
from huiqi.rules.errors import InvalidFacts, MissingFacts, NoStatutoryPeriod, RulesError
from huiqi.rules.payments import payment_deadline

from .figures import check_debtor, contract_of, plain
from .kind import ARREARS
from .models import ArrearsComplaint, DebtorType, Result


@dataclass(frozen=True)
class Claim:
    """What the creditor states (amounts in 万元)."""

    debtor_name: str
    debtor_type: str
    debtor_uscc: str
    contract_signed: date | None
    delivered_on: date | None
    accepted_on: date | None
    agreed_days: int | None
    amount_due: Decimal | None
    amount_paid: Decimal | None
    description: str
    contact: str = ""


def claim_errors(claim: Claim, creditor: str, today: date) -> dict[str, str]:
    """The facts' errors by field (the contract's placement by the rules aside)."""
    errors: dict[str, str] = {}
    if not claim.debtor_name.strip():
        errors["debtor_name"] = "请填写被投诉人名称"
    if claim.debtor_type not in DebtorType.values:
        errors["debtor_type"] = "请选择被投诉人类型：机关、事业单位或大型企业"
    if claim.debtor_uscc:
        try:
            validate_uscc(claim.debtor_uscc)
        except ValidationError as exc:
            errors["debtor_uscc"] = exc.messages[0]
        else:
            if claim.debtor_uscc == creditor:
                errors["debtor_uscc"] = "被投诉人不能是本企业"
    signed = claim.contract_signed
    if signed is None:
        errors["contract_signed"] = "请填写合同订立日期"
    elif signed > today:
        errors["contract_signed"] = "合同订立日期不能晚于今天"
    if claim.delivered_on is None and claim.accepted_on is None:
        errors["delivered_on"] = "请填写交付日期，或者检验、验收合格日期"
    for name in ("delivered_on", "accepted_on"):
        day = getattr(claim, name)
        if day is not None and signed is not None and day < signed:
            errors[name] = f"不能早于合同订立日期 {signed.isoformat()}"
        elif day is not None and day > today:
            errors[name] = "不能晚于今天"
    if claim.agreed_days is not None and claim.agreed_days < 1:
        errors["agreed_days"] = "约定付款期限应当是正整数（日）；没有约定的请留空"
    if claim.amount_due is None or claim.amount_due <= 0:
        errors["amount_due"] = "请填写应付金额（万元），应当大于 0"
    if claim.amount_paid is None or claim.amount_paid < 0:
        errors["amount_paid"] = "请填写已付金额（万元），没有支付的填 0"
    elif claim.amount_due is not None and claim.amount_paid >= claim.amount_due:
        errors["amount_paid"] = "已付金额不小于应付金额，没有拖欠"
    if not claim.description.strip():
        errors["description"] = "请填写情况说明"
    return errors


def _payment_errors(claim: Claim) -> dict[str, str]:
    """The contract placed by the rules (第九、十条), or the error next to the field at fault."""
    contract = contract_of(
        claim.debtor_type,
        claim.contract_signed,
        claim.delivered_on,
        claim.accepted_on,
        claim.agreed_days,
    )
    try:
        payment_deadline(contract)
    except NoStatutoryPeriod as exc:
        return {"agreed_days": str(exc)}
    except InvalidFacts as exc:
        return {"accepted_on": str(exc)}
    except MissingFacts as exc:
        return {"delivered_on": str(exc)}
    except RulesError as exc:
        return {"contract_signed": str(exc)}
    return {}


def submit(
    *,
    actor: User,
    claim: Claim,
    upload: cases.Upload | None = None,
    received_at: datetime | None = None,
) -> Case:
    """An enterprise of the registry (the creditor) files a complaint; it goes to the
    accepting department of its province (第二十四条第一款: 省级以上人民政府负责中小企业促进
    工作综合管理的部门)."""
    uscc = authz.enterprise_of(actor)
    if uscc is None:
        raise PermissionDenied("只有企业用户可以提交拖欠账款投诉")
    creditor = Enterprise.objects.filter(uscc=uscc).first()
    if creditor is None:
        raise ValidationError(
            {NON_FIELD_ERRORS: "本企业不在企业名录中，暂不能在线投诉，请联系受理投诉部门"}
        )
    received_at = received_at or timezone.now()
    received_on = timezone.localdate(received_at)
    claim = Claim(
        **{
            **claim.__dict__,
            "debtor_name": claim.debtor_name.strip(),
            "debtor_uscc": claim.debtor_uscc.strip().upper(),
        }
    )
    errors = claim_errors(claim, uscc, received_on)
    if not errors:
        errors = _payment_errors(claim)
    if errors:
        raise ValidationError(errors)
    checked = files.check(upload.name, upload.data) if upload else None
    province = creditor.district[:2] + "0000"
    try:
        department = cases.route(province)
    except cases.NoDepartment:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"本省（{province}）还没有受理拖欠账款投诉的部门，请联系省级中小企业主管部门"
            }
        ) from None
    return _open(actor, creditor, department, claim, checked, received_at, received_on)


@transaction.atomic
def _open(actor, creditor, department, claim, checked, received_at, received_on) -> Case:
    deadline = ARREARS.deadline(received_on, department.jurisdiction)
    outstanding = claim.amount_due - claim.amount_paid
    case = Case(
        number=cases.next_number(ARREARS.prefix, received_on.year),
        kind=ARREARS.key,
        state=ARREARS.machine.initial,
        jurisdiction=department.jurisdiction,
        department=department,
        enterprise=creditor,
        submitted_by=actor,
        contact=claim.contact.strip()[:200],
        subject_district=creditor.district,
        title=f"{claim.debtor_name}拖欠款项{plain(outstanding)}万元"[:200],
        content=claim.description.strip(),
        received_at=received_at,
        received_on=received_on,
        due_on=deadline.due,
        due_basis=deadline.to_dict(),
        due_explanation=cases.explain(deadline),
    )
    case.full_clean(exclude=["receipt_digest"])
    case.save()
    check = check_debtor(claim.debtor_type, claim.debtor_uscc, claim.contract_signed)
    details = ArrearsComplaint(
        case=case,
        accepting_department=department,
        debtor_name=claim.debtor_name[:200],
        debtor_type=claim.debtor_type,
        debtor_uscc=claim.debtor_uscc,
        contract_signed=claim.contract_signed,
        delivered_on=claim.delivered_on,
        accepted_on=claim.accepted_on,
        agreed_days=claim.agreed_days,
        amount_due=claim.amount_due,
        amount_paid=claim.amount_paid,
        debtor_check=check.check,
        debtor_check_note=check.note,
        debtor_check_basis=check.basis(),
    )
    details.full_clean(exclude=["case"])
    details.save()
    event = cases.append_event(
        case,
        actor,
        "submit",
        "",
        case.state,
        note="",
        data={"debtor_check": check.check.value},
        at=received_at,
    )
    stored = cases.attach(case, event, actor, checked) if checked else None
    try:
        # The complainant is protected (第二十五条第五款): the audit entry names no actor and no
        # complainant field, as for a 举报.
        after = audit.snapshot(case, ("number", "kind", "state", "department", "due_on"))
        after |= audit.snapshot(details, ("debtor_name", "debtor_type", "debtor_check"))
        audit.record([audit.entry(None, AuditAction.CREATE, case, None, after)])
    except BaseException:
        if stored:
            files.discard(stored)
        raise
    return case


def transfer(actor: User, case: Case, *, department: Any, expected_version: int) -> Case:
    """第二十五条第一款: the accepting department transfers the complaint to the handling
    department (有关部门或者地方人民政府指定的部门); the result period starts."""
    return cases.transition(
        actor,
        case,
        "transfer",
        expected_version=expected_version,
        data={"department": department},
    )


def records(user: Any) -> QuerySet[ArrearsComplaint]:
    """Confirmed arrears for credit follow-up (第二十六条), among the cases ``user`` sees; the
    rows carry the debtor and the case, never the complainant."""
    return (
        ArrearsComplaint.objects.filter(
            result=Result.CONFIRMED, case__in=Case.objects.visible_to(user)
        )
        .select_related("case")
        .order_by("-result_on", "-case_id")
    )


def record_row(details: ArrearsComplaint) -> dict[str, Any]:
    """One line of the record list: debtor, type, amount, case number, confirmed date."""
    return {
        "debtor_name": details.debtor_name,
        "debtor_type": details.debtor_type,
        "debtor_type_label": details.get_debtor_type_display(),
        "debtor_uscc": details.debtor_uscc,
        "outstanding": plain(details.outstanding),
        "number": details.case.number,
        "confirmed_on": details.result_on,
    }
