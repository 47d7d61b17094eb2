"""Operations that change accounts; each is one transaction with its audit entry."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from huiqi.audit import services as audit
from huiqi.audit.models import Action

from .models import Department, Role, User


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
    """A new account; the password must pass the configured password rules."""
    user = User(
        username=username, role=role, enterprise_uscc=enterprise_uscc, department=department
    )
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    after = audit.snapshot(user, audit.editable_fields(User))
    audit.record([audit.entry(actor, Action.CREATE, user, None, after)])
    return user
