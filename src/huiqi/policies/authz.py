"""Who may manage which policies, built on :mod:`huiqi.accounts.authz`.

An official manages the policies of their department's division and the divisions under it
(a 长春市 department: 220100 and 2201xx); national policies (``cn``) and every other policy are
for administrators. Published versions are public (长春 条例 第三十五条第二款); drafts and the
version history are seen only by those who may manage the policy.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from huiqi.accounts import authz
from huiqi.rules.jurisdictions import NATIONAL, jurisdictions


def can_manage(user: Any, jurisdiction: str) -> bool:
    """Whether ``user`` may create, edit, publish and withdraw policies of ``jurisdiction``."""
    if authz.is_administrator(user):
        return True
    prefix = authz.official_prefix(user)
    return prefix is not None and jurisdiction != NATIONAL and jurisdiction.startswith(prefix)


def managed_scope(user: Any, field: str = "jurisdiction") -> Q:
    """The filter on records (or versions) whose jurisdiction ``user`` manages."""
    if authz.is_administrator(user):
        return Q()
    prefix = authz.official_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    return Q(**{f"{field}__startswith": prefix}) & ~Q(**{field: NATIONAL})


def manageable_jurisdictions(user: Any) -> list[tuple[str, str]]:
    """The declared jurisdictions (code, name) ``user`` may write policies for."""
    return [(j.code, j.name) for j in jurisdictions().values() if can_manage(user, j.code)]
