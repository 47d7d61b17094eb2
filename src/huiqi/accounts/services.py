"""Operations that change accounts; each is one transaction with its audit entry."""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from huiqi.audit import services as audit
from huiqi.audit.models import Action

from .models import ApiToken, Department, Role, User


@transaction.atomic
def create_department(*, actor: User | None, name: str, jurisdiction: str) -> Department:
    """A new department of ``jurisdiction`` (a six-digit division code)."""
    department = Department(name=name, jurisdiction=jurisdiction)
    department.full_clean()
    department.save()
    after = audit.snapshot(department, audit.editable_fields(Department))
    audit.record([audit.entry(actor, Action.CREATE, department, None, after)])
    return department


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: Role,
    enterprise_uscc: str = "",
    department: Department | None = None,
) -> User:
    """A new account; the password must pass the configured password rules. An
    administrator may also use the administration site."""
    administrator = role == Role.ADMINISTRATOR
    user = User(
        username=username,
        role=role,
        enterprise_uscc=enterprise_uscc,
        department=department,
        is_staff=administrator,  # the administration site (数据管理) is theirs
        is_superuser=administrator,
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    after = audit.snapshot(user, audit.editable_fields(User))
    audit.record([audit.entry(actor, Action.CREATE, user, None, after)])
    return user


@transaction.atomic
def issue_token(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; returns the token and its key (shown once, never stored)."""
    key = "hq_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, digest=ApiToken.digest_of(key))
    token.full_clean(exclude=["digest"])
    token.save()
    after = {"user": user.pk, "name": name}
    audit.record([audit.entry(actor, Action.CREATE, token, None, after)])
    return token, key


@transaction.atomic
def revoke_token(*, actor: User | None, token: ApiToken) -> None:
    """Revoke a token: it stops working at once."""
    from django.utils import timezone

    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        [
            audit.entry(
                actor,
                Action.UPDATE,
                token,
                {"revoked_at": None},
                {"revoked_at": token.revoked_at.isoformat()},
            )
        ]
    )
