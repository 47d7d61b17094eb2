"""The navigation every page shows, by the visitor's role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from huiqi.accounts import authz


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "nav_staff": authz.is_staff(user),
        "nav_administrator": authz.is_administrator(user),
        "nav_enterprise": authz.enterprise_of(user) is not None,
    }
