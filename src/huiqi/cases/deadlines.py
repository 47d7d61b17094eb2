"""The deadlines of complaints and 诉求, from the rules (:mod:`huiqi.rules.deadlines`).

A case belongs to the division of its handling department (220102 南关区); the rules are
looked up for the nearest jurisdiction that has a pack (220102 → 220100 长春市 → 吉林省 → 全国).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from huiqi.errors import UserError
from huiqi.rules.deadlines import Deadline, build_deadline, count_period, reply_deadline
from huiqi.rules.jurisdictions import NATIONAL, jurisdictions
from huiqi.rules.packs import rules


class ExtensionNotAllowed(UserError):
    """An extension the law does not allow for this case."""


def rules_jurisdiction(division: str) -> str:
    """The nearest jurisdiction with rules for a six-digit division: 220102 → 220100."""
    known = jurisdictions()
    for code in (division, division[:4] + "00", division[:2] + "0000"):
        if code in known:
            return code
    return NATIONAL


def complaint_deadline(received: date, division: str) -> Deadline:
    """投诉、举报: 长春 条例 第四十三条 — 自收到投诉、举报之日起二十个工作日内调查处理，并书面
    答复; elsewhere the department's service commitment where the law sets no number
    (:func:`huiqi.rules.deadlines.reply_deadline`)."""
    return reply_deadline(received, rules_jurisdiction(division))


def request_deadline(received: date, division: str) -> Deadline:
    """咨询、求助、建议: the reply periods of the law are for 投诉、举报 (长春 条例 第四十三条;
    中小企业促进法 第五十一条第二款), so the department's service commitment applies, cited as a
    commitment and never as law."""
    jurisdiction = rules_jurisdiction(division)
    rule_set = rules()
    law = rule_set.lookup("complaint.reply_period", jurisdiction, received)
    commitment = rule_set.lookup("complaint.service_commitment", jurisdiction, received)
    counted = count_period(received, commitment.value)
    why = (
        f"法律法规规定的答复期限只适用于投诉、举报（{law.citation.text}）；咨询、求助、建议按部门"
        f"服务承诺的{commitment.value.text}计算，该期限是承诺，不是法定期限"
    )
    deadline = build_deadline(
        "request_reply",
        commitment,
        counted,
        notes=(why, commitment.note, *counted.notes),
        statutory=False,
    )
    return replace(deadline, label="咨询、求助、建议的答复期限")


def no_complaint_extension(received: date, division: str) -> Deadline:
    """No extension of a complaint's reply period: 长春 条例 第四十三条 sets twenty working days
    without any extension, and where the law sets no number there is nothing to extend."""
    deadline = complaint_deadline(received, division)
    if deadline.statutory:
        raise ExtensionNotAllowed(
            f"不能延期：{deadline.citation.text}规定自收到投诉、举报之日起{deadline.period.text}"
            "内调查处理并书面答复，没有规定可以延长；法律未允许延长的期限，不能批准延期。"
        )
    raise ExtensionNotAllowed(
        f"不能延期：法律法规未规定答复期限，也未规定延长（{deadline.citations[1].text}）；"
        f"按部门服务承诺计算的期限（{deadline.period.text}）不设延期。"
    )
