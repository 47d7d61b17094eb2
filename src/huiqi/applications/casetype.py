"""The case type of applications (申报): its state machine and its review deadline.

草稿 lives in :class:`~huiqi.applications.models.Application` only (nothing to review yet);
from 已提交 the application is a case of the core (:mod:`huiqi.cases`): 已提交 → 已受理 →
审核通过 / 不予通过 (with the reason) → 已兑现 (amount in 万元 and date).

The law sets no review period for 惠企政策 applications: 长春 条例 第三十五条第三款 asks only
that conditions be public and procedures simple. The department's service commitment is
counted instead and cited as a commitment, never as law (as :mod:`huiqi.cases.deadlines`
does for 咨询、求助、建议).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType

from huiqi.cases.deadlines import ExtensionNotAllowed, rules_jurisdiction
from huiqi.cases.machine import Action, Actor, CaseType, Machine, State, register
from huiqi.rules.deadlines import Deadline, build_deadline, count_period
from huiqi.rules.packs import rules

KIND = "application"

_H = frozenset({Actor.HANDLER})

MACHINE = Machine(
    initial="submitted",
    states=MappingProxyType(
        {
            "submitted": State("submitted", "已提交", clock=True),
            "accepted": State("accepted", "已受理", clock=True),
            "approved": State("approved", "审核通过", clock=False),
            "denied": State("denied", "不予通过", clock=False, final=True),
            "redeemed": State("redeemed", "已兑现", clock=False, final=True),
        }
    ),
    actions=MappingProxyType(
        {
            "accept": Action("accept", "受理", ("submitted",), "accepted", _H),
            "approve": Action("approve", "审核通过", ("accepted",), "approved", _H),
            "deny": Action(
                "deny",
                "不予通过",
                ("accepted",),
                "denied",
                _H,
                note_required=True,
                note_label="不予通过的理由",
            ),
            "redeem": Action("redeem", "兑现", ("approved",), "redeemed", _H),
        }
    ),
)
"""申报: 已提交 → 已受理 → 审核通过 / 不予通过 → 已兑现. The review deadline runs while the
application waits for its decision (已提交, 已受理)."""


def review_deadline(received: date, division: str) -> Deadline:
    """The review period of an application: no law sets one (长春 条例 第三十五条第三款 asks
    for 简化申报手续 without a number), so the department's service commitment applies, cited
    as a commitment."""
    jurisdiction = rules_jurisdiction(division)
    commitment = rules().lookup("complaint.service_commitment", jurisdiction, received)
    counted = count_period(received, commitment.value)
    why = (
        "法律法规未规定惠企政策申报的审核期限（《长春市促进中小企业发展条例》第三十五条第三款"
        f"只要求合理设置并公开申请条件、简化申报手续）；按部门服务承诺的{commitment.value.text}"
        "计算，该期限是承诺，不是法定期限"
    )
    deadline = build_deadline(
        "application_review",
        commitment,
        counted,
        notes=(why, commitment.note, *counted.notes),
        statutory=False,
    )
    return replace(deadline, label="申报的审核期限")


def no_extension(received: date, division: str) -> Deadline:
    """No extension: the period is the department's own commitment, not a statutory one."""
    raise ExtensionNotAllowed("不能延期：申报的审核期限按部门服务承诺计算，不设延期。")


def register_type() -> None:
    register(
        CaseType(
            key=KIND,
            label="申报",
            prefix="SB",
            machine=MACHINE,
            deadline=review_deadline,
            extension=no_extension,
            description="企业申报惠企政策（申报、直达快享）。",
            intake=False,
        )
    )
