"""Case types and their state machines: states, actions, who may take each action.

A case type (投诉, 举报 …) names its number prefix, its machine, how its deadline is computed
and whether its complainant's identity is protected. Later types (申报, 拖欠账款投诉) register
their own machines here; the services, pages and API work from the registry only.

No Django here: the machine is data, checked by :mod:`huiqi.cases.services`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from huiqi.rules.deadlines import Deadline

from . import deadlines


class Actor(StrEnum):
    """Who may take an action on a case."""

    HANDLER = "handler"
    """An official of the handling department."""
    SUPERVISOR = "supervisor"
    """A supervisor (负责人) of the handling department (``CaseSupervisor``)."""
    SUBMITTER = "submitter"
    """The enterprise that filed the case (any of its users)."""


class Effect(StrEnum):
    """What an action does besides moving the state."""

    NONE = ""
    REPLY = "reply"
    """Records the written reply (答复书): text required, attachment optional."""
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    DENY_EXTENSION = "deny_extension"
    RATE = "rate"
    """The enterprise's satisfaction (好差评)."""


@dataclass(frozen=True)
class State:
    key: str
    label: str
    clock: bool
    """The reply deadline runs in this state (reminders, overdue marking)."""
    final: bool = False


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    """The state after the action; None leaves the state as it is."""
    actors: frozenset[Actor]
    note_required: bool = False
    note_label: str = "说明"
    effect: Effect = Effect.NONE
    needs_pending_extension: bool = False
    once: bool = False
    """The action may be taken only once per case (a rating)."""
    generic: bool = True
    """Offered by the case page's generic action form; False when the type's own section
    (:attr:`CaseType.section`) has the form (转交 names the handling department)."""


@dataclass(frozen=True)
class Machine:
    initial: str
    states: Mapping[str, State]
    actions: Mapping[str, Action]

    def __post_init__(self) -> None:
        for action in self.actions.values():
            for key in (*action.sources, *((action.target,) if action.target else ())):
                if key not in self.states:
                    raise ValueError(f"action {action.key} names unknown state {key}")

    def state(self, key: str) -> State:
        return self.states[key]

    def from_state(self, state: str) -> tuple[Action, ...]:
        """The actions the machine allows in ``state``, whoever takes them."""
        return tuple(a for a in self.actions.values() if state in a.sources)

    @property
    def clock_states(self) -> tuple[str, ...]:
        return tuple(k for k, s in self.states.items() if s.clock)


@dataclass(frozen=True)
class CaseType:
    key: str
    label: str
    prefix: str
    """The case number's prefix: TS-2025-000123."""
    machine: Machine
    deadline: Callable[[date, str], Deadline]
    """The due date for a case received on a date in a jurisdiction (rules jurisdiction)."""
    extension: Callable[[date, str], Deadline]
    """The extended due date; raises :class:`huiqi.cases.deadlines.ExtensionNotAllowed`
    where the law allows none."""
    protected: bool = False
    """The complainant's identity is visible only to the handling department."""
    anonymous: bool = False
    """May be filed without an account (匿名举报)."""
    description: str = ""
    intake: bool = True
    """Filed through the 诉求 form (申报 and arrears have their own forms)."""
    on_transition: (
        Callable[[Any, Action, Mapping[str, Any], datetime], Mapping[str, Any]] | None
    ) = None
    """Called by :func:`huiqi.cases.services.transition` inside its transaction (the case row
    locked, the new state set, before saving) with (case, action, the action's data, now);
    returns data to record in the event. It may restart the deadline for the new state
    (:func:`huiqi.cases.services.restart_deadline`: 拖欠账款投诉 — 转交 within 10 working days
    of 受理, the result within 30 days of the transfer), change the handling department, or
    refuse with a ``ValidationError`` or a ``UserError``."""
    section: str = ""
    """A template the case page includes (the type's own details and forms)."""


def _machine(states: Iterable[State], actions: Iterable[Action], initial: str) -> Machine:
    return Machine(
        initial=initial,
        states=MappingProxyType({s.key: s for s in states}),
        actions=MappingProxyType({a.key: a for a in actions}),
    )


_H = frozenset({Actor.HANDLER})
_S = frozenset({Actor.SUPERVISOR})
_E = frozenset({Actor.SUBMITTER})
_OPEN = ("submitted", "accepted", "investigating")

COMPLAINT_MACHINE = _machine(
    (
        State("submitted", "待受理", clock=True),
        State("accepted", "已受理", clock=True),
        State("investigating", "调查中", clock=True),
        State("replied", "已答复", clock=False),
        State("closed", "已办结", clock=False, final=True),
        State("rejected", "不予受理", clock=False, final=True),
    ),
    (
        Action("accept", "受理", ("submitted",), "accepted", _H),
        Action(
            "reject",
            "不予受理",
            ("submitted",),
            "rejected",
            _H,
            note_required=True,
            note_label="不予受理的理由",
        ),
        Action("investigate", "开始调查", ("accepted",), "investigating", _H),
        Action(
            "reply",
            "书面答复",
            ("investigating",),
            "replied",
            _H,
            note_required=True,
            note_label="答复书正文",
            effect=Effect.REPLY,
        ),
        Action("close", "办结", ("replied",), "closed", _H),
        Action(
            "request_extension",
            "申请延期",
            _OPEN,
            None,
            _H,
            note_required=True,
            note_label="延期理由",
            effect=Effect.REQUEST_EXTENSION,
        ),
        Action(
            "approve_extension",
            "批准延期",
            _OPEN,
            None,
            _S,
            effect=Effect.APPROVE_EXTENSION,
            needs_pending_extension=True,
        ),
        Action(
            "deny_extension",
            "不批准延期",
            _OPEN,
            None,
            _S,
            note_required=True,
            note_label="不批准的理由",
            effect=Effect.DENY_EXTENSION,
            needs_pending_extension=True,
        ),
        Action(
            "rate",
            "评价",
            ("replied", "closed"),
            None,
            _E,
            effect=Effect.RATE,
            once=True,
        ),
    ),
    initial="submitted",
)
"""投诉、举报、咨询、求助、建议: 待受理 → 已受理 → 调查中 → 已答复 (书面答复) → 已办结, or
不予受理 with the reason; 延期 only where the law allows it, approved by a supervisor."""


SYSTEM_ACTIONS: Mapping[str, str] = MappingProxyType(
    {
        "submit": "提交",
        "due_soon": "即将到期提醒",
        "overdue": "逾期",
        "escalate": "逾期督办",
    }
)
"""Events that are not actions of a machine: the filing and the deadline clock's marks."""

_REGISTRY: dict[str, CaseType] = {}


def register(case_type: CaseType) -> CaseType:
    """Add a case type (its key and number prefix must be new)."""
    if case_type.key in _REGISTRY:
        raise ValueError(f"case type {case_type.key} is already registered")
    if any(t.prefix == case_type.prefix for t in _REGISTRY.values()):
        raise ValueError(f"number prefix {case_type.prefix} is already used")
    _REGISTRY[case_type.key] = case_type
    return case_type


def unregister(key: str) -> None:
    """Remove a case type (tests that register their own)."""
    _REGISTRY.pop(key, None)


def case_type(key: str) -> CaseType:
    return _REGISTRY[key]


def case_types() -> tuple[CaseType, ...]:
    return tuple(_REGISTRY.values())


def intake_types() -> tuple[CaseType, ...]:
    """The types filed through the 诉求 form."""
    return tuple(t for t in _REGISTRY.values() if t.intake)


def state_label(kind: str, state: str) -> str:
    machine = _REGISTRY[kind].machine if kind in _REGISTRY else None
    return machine.states[state].label if machine and state in machine.states else state


for _key, _label, _prefix, _protected, _description in (
    ("complaint", "投诉", "TS", False, "合法权益受到侵害，要求有关部门调查处理。"),
    (
        "report",
        "举报",
        "JB",
        True,
        "举报违法违规行为；可以匿名，举报人身份只对办理部门可见。",
    ),
    ("consultation", "咨询", "ZX", False, "询问政策、办事程序等。"),
    ("help", "求助", "QZ", False, "经营中遇到困难，请求帮助协调。"),
    ("suggestion", "建议", "JY", False, "对惠企政策和服务提出意见建议。"),
):
    register(
        CaseType(
            key=_key,
            label=_label,
            prefix=_prefix,
            machine=COMPLAINT_MACHINE,
            deadline=(
                deadlines.complaint_deadline
                if _key in ("complaint", "report")
                else deadlines.request_deadline
            ),
            extension=deadlines.no_complaint_extension,
            protected=_protected,
            anonymous=_key == "report",
            description=_description,
        )
    )
