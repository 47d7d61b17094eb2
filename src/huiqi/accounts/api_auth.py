"""Authentication of the JSON API: a bearer token (machine clients, :class:`ApiToken`) or the
browser session (with CSRF on unsafe methods). Either way ``request.user`` is the account, so
the API applies the same permissions (:mod:`huiqi.accounts.authz`) as the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from .models import ApiToken


class BearerToken(HttpBearer):
    """``Authorization: Bearer hq_…``: the token's user, if the token is valid."""

    openapi_description = (
        "接口令牌：在“我的账户 → 接口令牌”中创建，请求头写作 Authorization: Bearer <令牌>。"
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


REQUIRED: list[Any] = [BearerToken(), django_auth]
"""For endpoints that need an account: a token or a logged-in session."""


class _OptionalBearer(BearerToken):
    """A token when one is sent; the anonymous public otherwise (public endpoints that show
    more to an account, e.g. the policy calculator)."""

    def __call__(self, request: HttpRequest) -> Any:
        return super().__call__(request) or True


OPTIONAL: list[Any] = [_OptionalBearer()]
"""For public endpoints: anyone, with the token's or the session's user when there is one."""
