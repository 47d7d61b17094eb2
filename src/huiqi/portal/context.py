"""The navigation every page shows, by the visitor's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from huiqi.accounts import authz
from huiqi.accounts.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    official = authz.official_prefix(user) is not None
    administrator = authz.is_administrator(user)
    enterprise = bool(
        getattr(user, "is_active", False)
        and getattr(user, "role", None) == Role.ENTERPRISE
        and user.enterprise_uscc
    )
    return {
        "nav_staff": official or administrator,
        "nav_administrator": administrator,
        "nav_enterprise": enterprise,
    }
