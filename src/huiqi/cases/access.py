"""Who may see a case, who may act on it, and whose identity is protected.

- An administrator sees every case; an official the cases of their jurisdiction and the
  divisions under it (220100 → 2201xx); an enterprise user the cases of their enterprise; the
  public none (an anonymous reporter follows theirs with the receipt code).
- Only officials of the handling department act on a case (its supervisors approve
  extensions); the filing enterprise rates the reply.
- The identity of a 举报 complainant (and, later, of an arrears complainant) is shown only to
  the handling department and the complainant: 保障中小企业款项支付条例（2025）第二十五条第五款
  (受理投诉部门和处理投诉部门的工作人员 … 负有保密义务), 第二十条 (不得 … 打击报复),
  深圳 征求意见稿 第八十条第（五）项. Other departments and administrators see 已保护; see
  docs/cases.md for the reasoning. Pages and API both go through :func:`complainant` and
  :func:`history`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from huiqi.accounts import authz

from . import files
from .machine import SYSTEM_ACTIONS, Actor
from .models import Attachment, Case, CaseEvent, CaseSupervisor

PROTECTED = "已保护"
_NOTHING = Q(pk__in=[])


def case_scope(user: Any) -> Q:
    """The filter on cases ``user`` may see."""
    if authz.is_administrator(user):
        return Q()
    prefix = authz.official_prefix(user)
    if prefix is not None:
        return Q(jurisdiction__startswith=prefix)
    uscc = authz.enterprise_of(user)
    return Q(enterprise__uscc=uscc) if uscc is not None else _NOTHING


def visible_case(user: Any, number: str) -> Case:
    """The case with this number if ``user`` may see it, else 404 (existence does not leak)."""
    case = (
        Case.objects.select_related("department", "enterprise", "submitted_by")
        .filter(number=number)
        .first()
    )
    if case is None or not can_view_case(user, case):
        raise Http404("没有这个诉求")
    return case


def can_view_case(user: Any, case: Case) -> bool:
    if authz.is_administrator(user):
        return True
    prefix = authz.official_prefix(user)
    if prefix is not None:
        return case.jurisdiction.startswith(prefix)
    return is_submitter(user, case)


def is_handler(user: Any, case: Case) -> bool:
    """An active official of the handling department."""
    return authz.official_prefix(user) is not None and user.department_id == case.department_id


def is_supervisor(user: Any, case: Case) -> bool:
    return (
        is_handler(user, case)
        and CaseSupervisor.objects.filter(department_id=case.department_id, user=user).exists()
    )


def is_submitter(user: Any, case: Case) -> bool:
    """A user of the enterprise that filed the case."""
    uscc = authz.enterprise_of(user)
    return uscc is not None and case.enterprise is not None and case.enterprise.uscc == uscc


def actors_of(user: Any, case: Case) -> frozenset[Actor]:
    """The parts ``user`` plays on ``case``."""
    parts = set()
    if is_handler(user, case):
        parts.add(Actor.HANDLER)
        if is_supervisor(user, case):
            parts.add(Actor.SUPERVISOR)
    if is_submitter(user, case):
        parts.add(Actor.SUBMITTER)
    return frozenset(parts)


def can_see_complainant(user: Any, case: Case) -> bool:
    """Whether ``user`` may see who filed ``case``."""
    return not case.case_type.protected or is_handler(user, case) or is_submitter(user, case)


@dataclass(frozen=True)
class Complainant:
    """Who filed a case, as ``user`` may see it."""

    protected: bool
    """Hidden from this viewer: every field reads 已保护."""
    anonymous: bool
    enterprise: str
    uscc: str
    submitted_by: str
    contact: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "protected": self.protected,
            "anonymous": self.anonymous,
            "enterprise": self.enterprise,
            "uscc": self.uscc,
            "submitted_by": self.submitted_by,
            "contact": self.contact,
        }


def complainant(user: Any, case: Case) -> Complainant:
    """The complainant of ``case`` as ``user`` may see it."""
    if not can_see_complainant(user, case):
        return Complainant(True, False, PROTECTED, PROTECTED, PROTECTED, PROTECTED)
    enterprise = case.enterprise
    return Complainant(
        protected=False,
        anonymous=case.anonymous,
        enterprise=enterprise.name if enterprise else ("匿名" if case.anonymous else ""),
        uscc=enterprise.uscc if enterprise else "",
        submitted_by=case.submitted_by.get_username() if case.submitted_by else "",
        contact=case.contact,
    )


@dataclass(frozen=True)
class Step:
    """One event of a case as ``user`` may see it."""

    seq: int
    at: datetime
    action: str
    label: str
    actor: str
    from_state: str
    to_state: str
    note: str
    data: dict[str, Any]


def history(user: Any, case: Case) -> list[Step]:
    """The events of ``case``, oldest first; the complainant's name is protected as in
    :func:`complainant`."""
    machine = case.case_type.machine
    visible = can_see_complainant(user, case)
    steps = []
    for event in CaseEvent.objects.filter(case=case).order_by("seq"):
        if event.actor_id is None:
            actor = "匿名举报人" if event.action == "submit" else "系统"
        elif event.actor_id == case.submitted_by_id and not visible:
            actor = f"{case.kind_label}人（{PROTECTED}）"
        else:
            actor = event.actor_name
        action = machine.actions.get(event.action)
        steps.append(
            Step(
                seq=event.seq,
                at=event.at,
                action=event.action,
                label=action.label if action else SYSTEM_ACTIONS.get(event.action, event.action),
                actor=actor,
                from_state=machine.states[event.from_state].label if event.from_state else "",
                to_state=machine.states[event.to_state].label if event.to_state else "",
                note=event.note,
                data=event.data,
            )
        )
    return steps


def can_download(user: Any, attachment: Attachment) -> bool:
    """An attachment of a case ``user`` sees; on a protected case, the complainant's own
    files (which may name them) only for the handling department and the complainant."""
    case = attachment.case
    if not can_view_case(user, case):
        return False
    if attachment.uploaded_by_id is not None and attachment.uploaded_by_id != case.submitted_by_id:
        return True
    return can_see_complainant(user, case)


def attachment_response(user: Any, number: str, pk: int) -> FileResponse:
    """A case's file as a download, for those permitted only (:func:`can_download`); the
    case or the file outside the caller's view is a 404, as for pages and API alike."""
    case = visible_case(user, number)
    found = get_object_or_404(Attachment.objects.select_related("case", "event"), pk=pk, case=case)
    if not can_download(user, found):
        raise Http404("没有这个附件")
    response = FileResponse(
        files.path_of(found.path).open("rb"), as_attachment=True, filename=found.name
    )
    response["Content-Type"] = found.content_type
    return response
