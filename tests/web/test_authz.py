"""Object-level permissions: an enterprise sees only itself, an official only their
jurisdiction, an administrator everything, the public nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from huiqi.accounts.authz import can_view_enterprise, division_prefix
from huiqi.accounts.models import Role
from huiqi.accounts.services import create_department, create_user
from huiqi.audit.models import Action, AuditEntry
from huiqi.enterprises.models import Enterprise

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGCHUN_A = "91220105MAJBDHAW47"  # 220105 二道区
CHANGCHUN_B = "91220184MAR5GN7C37"  # 220184 公主岭市
SHENZHEN = "914403007261824992"  # 440300 深圳市


@pytest.fixture
def enterprises() -> dict[str, Enterprise]:
    rows = [
        (CHANGCHUN_A, "长春甲公司", "220105"),
        (CHANGCHUN_B, "公主岭乙公司", "220184"),
        (SHENZHEN, "深圳丙公司", "440305"),
    ]
    return {
        uscc: Enterprise.objects.create(
            uscc=uscc, name=name, industry="7222", district=district, founded="2020-01-01"
        )
        for uscc, name, district in rows
    }


def _official(username: str, jurisdiction: str):
    department = create_department(actor=None, name="工业和信息化局", jurisdiction=jurisdiction)
    return create_user(
        actor=None, username=username, password=PASSWORD, role=Role.OFFICIAL, department=department
    )


def _enterprise_user(uscc: str):
    return create_user(
        actor=None,
        username=f"e{uscc[-4:]}",
        password=PASSWORD,
        role=Role.ENTERPRISE,
        enterprise_uscc=uscc,
    )


def _visible(user) -> set[str]:
    return set(Enterprise.objects.visible_to(user).values_list("uscc", flat=True))


def _checked(user, enterprises) -> set[str]:
    return {u for u, e in enterprises.items() if can_view_enterprise(user, e)}


def test_an_enterprise_user_sees_only_their_enterprise(enterprises):
    user = _enterprise_user(CHANGCHUN_A)
    assert _visible(user) == _checked(user, enterprises) == {CHANGCHUN_A}
    assert not can_view_enterprise(user, enterprises[CHANGCHUN_B])


def test_an_official_sees_only_their_jurisdiction(enterprises):
    changchun = _official("cc", "220100")
    assert _visible(changchun) == _checked(changchun, enterprises) == {CHANGCHUN_A, CHANGCHUN_B}
    assert not can_view_enterprise(changchun, enterprises[SHENZHEN])
    shenzhen = _official("sz", "440300")
    assert _visible(shenzhen) == _checked(shenzhen, enterprises) == {SHENZHEN}
    district = _official("ed", "220105")
    assert _visible(district) == {CHANGCHUN_A}
    province = _official("jl", "220000")
    assert _visible(province) == {CHANGCHUN_A, CHANGCHUN_B}


def test_administrators_see_all_and_the_public_nothing(enterprises, administrator):
    assert _visible(administrator) == _checked(administrator, enterprises) == set(enterprises)
    public = AnonymousUser()
    assert _visible(public) == _checked(public, enterprises) == set()


def test_inactive_accounts_see_nothing(enterprises):
    user = _enterprise_user(CHANGCHUN_A)
    user.is_active = False
    assert _visible(user) == _checked(user, enterprises) == set()


def test_an_official_without_a_department_sees_nothing(enterprises):
    user = create_user(actor=None, username="x", password=PASSWORD, role=Role.ADMINISTRATOR)
    user.role, user.is_superuser = Role.OFFICIAL, False
    assert _visible(user) == _checked(user, enterprises) == set()


@pytest.mark.parametrize(
    ("code", "prefix"), [("220100", "2201"), ("220000", "22"), ("220105", "220105")]
)
def test_division_prefix(code, prefix):
    assert division_prefix(code) == prefix


def test_roles_need_their_binding():
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        create_user(actor=None, username="e", password=PASSWORD, role=Role.ENTERPRISE)
    with pytest.raises(ValidationError, match="所属部门"):
        create_user(actor=None, username="o", password=PASSWORD, role=Role.OFFICIAL)
    with pytest.raises(ValidationError, match="统一社会信用代码"):
        _enterprise_user("91220105MAJBDHAW48")


def test_passwords_need_ten_characters():
    with pytest.raises(ValidationError):
        create_user(actor=None, username="a", password="Short-1x", role=Role.ADMINISTRATOR)


def test_account_services_are_audited(administrator):
    department = create_department(
        actor=administrator, name="工业和信息化局", jurisdiction="220100"
    )
    (entry,) = AuditEntry.objects.about(department)
    assert entry.action == Action.CREATE and entry.actor == administrator
    assert entry.after == {"name": "工业和信息化局", "jurisdiction": "220100"}
    (created,) = AuditEntry.objects.about(administrator)
    assert "password" not in created.after and created.after["role"] == "administrator"
