"""Login throttling: after ``LOGIN_FAILURE_LIMIT`` failures for one user name, or from one
client address, further attempts are refused for ``LOGIN_LOCKOUT_SECONDS``.

Counters live in Django's cache, so no table or middleware is needed (django-axes brings
both). The default cache is per process; a deployment with several worker processes
configures a shared cache (database or Redis) so the limit holds across them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> tuple[str, str]:
    name = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
    return f"huiqi:login-fail:user:{name}", f"huiqi:login-fail:addr:{address}"


def locked(username: str, address: str) -> bool:
    """Whether attempts for this user name or from this address are refused now."""
    counts = cache.get_many(_keys(username, address))
    return any(n >= settings.LOGIN_FAILURE_LIMIT for n in counts.values())


def failed(username: str, address: str) -> None:
    """Count a failed attempt."""
    for key in _keys(username, address):
        if not cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def succeeded(username: str) -> None:
    """Forget the failures of a user name after a successful login."""
    cache.delete(_keys(username, "")[0])
