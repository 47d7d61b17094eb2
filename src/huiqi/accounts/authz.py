"""Object-level permissions: who may see which enterprise.

- an administrator (or a superuser) sees every enterprise;
- an official sees the enterprises of their department's jurisdiction and the divisions under
  it (220100 长春市 → districts 2201xx; 220000 吉林省 → 22xxxx);
- an enterprise user sees only the enterprise their account is bound to;
- anyone else (the public, an inactive account) sees no registry data.

Querysets filter with :func:`enterprise_scope`; single objects are checked with
:func:`can_view_enterprise`; both follow the same rules.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import Q

from .models import Role


class _Located(Protocol):
    uscc: str
    district: str


_NOTHING = Q(pk__in=[])


def division_prefix(code: str) -> str:
    """The prefix shared by a division and the divisions under it: 220100 → 2201,
    220000 → 22, 220102 → 220102."""
    prefix = code
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return prefix


def is_administrator(user: Any) -> bool:
    return bool(
        getattr(user, "is_active", False)
        and (user.is_superuser or getattr(user, "role", None) == Role.ADMINISTRATOR)
    )


def is_staff(user: Any) -> bool:
    """An official or an administrator: the officials' pages and API are for them."""
    return is_administrator(user) or official_prefix(user) is not None


def enterprise_of(user: Any) -> str | None:
    """The 统一社会信用代码 an active enterprise user is bound to, or None for anyone else
    (administrators included)."""
    if (
        not is_administrator(user)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) == Role.ENTERPRISE
        and user.enterprise_uscc
    ):
        return user.enterprise_uscc
    return None


def official_prefix(user: Any) -> str | None:
    """The division prefix an active official sees, or None for anyone else."""
    if not getattr(user, "is_active", False) or getattr(user, "role", None) != Role.OFFICIAL:
        return None
    department = user.department
    return division_prefix(department.jurisdiction) if department is not None else None


def enterprise_scope(user: Any) -> Q:
    """The filter on enterprises that ``user`` may see."""
    if is_administrator(user):
        return Q()
    prefix = official_prefix(user)
    if prefix is not None:
        return Q(district__startswith=prefix)
    uscc = enterprise_of(user)
    return Q(uscc=uscc) if uscc is not None else _NOTHING


def can_view_enterprise(user: Any, enterprise: _Located) -> bool:
    """Whether ``user`` may see ``enterprise`` and its facts."""
    if is_administrator(user):
        return True
    prefix = official_prefix(user)
    if prefix is not None:
        return enterprise.district.startswith(prefix)
    uscc = enterprise_of(user)
    return uscc is not None and uscc == enterprise.uscc


def can_import_registry(user: Any) -> bool:
    """Importing into the registry is for administrators."""
    return is_administrator(user)
