"""Enterprise pages and API: facts_of takes the right year and qualification period; the
list filters and pages; one enterprise's page shows its facts by year, qualifications, size
class with explanation and citations, and matching policies; nobody sees an enterprise
authz does not let them see (404), through the pages and the API."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from huiqi.accounts.models import Role
from huiqi.accounts.services import create_department, create_user, issue_token
from huiqi.enterprises.facts import facts_of, size_of
from huiqi.enterprises.models import Enterprise, Qualification, YearlyFacts
from huiqi.enterprises.services import import_registry
from huiqi.policies.services import load_bundled
from huiqi.rules.size import SizeFacts, classify_size

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

CHANGCHUN_A = "91220105MAJBDHAW47"  # 220105 二道区
CHANGCHUN_B = "91220184MAR5GN7C37"  # 220184 公主岭市
SHENZHEN = "914403007261824992"  # 440300 深圳市


def _text(response) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", response.content.decode()))


@pytest.fixture
def enterprises() -> dict[str, Enterprise]:
    rows = [
        (CHANGCHUN_A, "长春甲科技有限公司", "220105", "3911"),
        (CHANGCHUN_B, "公主岭乙建筑有限公司", "220184", "4710"),
        (SHENZHEN, "深圳丙软件有限公司", "440305", "6511"),
    ]
    found = {
        uscc: Enterprise.objects.create(
            uscc=uscc,
            name=name,
            industry=industry,
            district=district,
            founded=date(2018, 3, 1),
            dishonest=False,
        )
        for uscc, name, district, industry in rows
    }
    a = found[CHANGCHUN_A]
    for year, employees, revenue, assets in (
        (2023, 60, 2500.0, 3000.0),
        (2024, 120, 15000.0, 9000.0),
        (2026, 400, 50000.0, 60000.0),
    ):
        YearlyFacts.objects.create(
            enterprise=a,
            year=year,
            employees=employees,
            revenue=revenue,
            total_assets=assets,
            rd_expense=None if year == 2024 else 10.5,
        )
    for start, end, first in (
        (date(2019, 1, 1), date(2021, 12, 31), date(2019, 1, 1)),
        (date(2022, 1, 1), date(2024, 12, 31), date(2019, 1, 1)),
        (date(2026, 1, 1), date(2028, 12, 31), date(2019, 1, 1)),
    ):
        Qualification.objects.create(
            enterprise=a, kind="zjtx", valid_from=start, valid_to=end, first_recognised=first
        )
    Qualification.objects.create(
        enterprise=a, kind="high_tech", valid_from=date(2023, 10, 1), valid_to=date(2026, 9, 30)
    )
    YearlyFacts.objects.create(enterprise=found[CHANGCHUN_B], year=2025, revenue=5000.0)
    return found


def _official(jurisdiction: str):
    department = create_department(actor=None, name="工业和信息化局", jurisdiction=jurisdiction)
    return create_user(
        actor=None,
        username=f"o{jurisdiction}",
        password=PASSWORD,
        role=Role.OFFICIAL,
        department=department,
    )


def _enterprise_user(uscc: str):
    return create_user(
        actor=None,
        username=f"e{uscc[-4:]}",
        password=PASSWORD,
        role=Role.ENTERPRISE,
        enterprise_uscc=uscc,
    )


def _loaded(uscc: str) -> Enterprise:
    return Enterprise.objects.prefetch_related("yearly_facts", "qualifications").get(uscc=uscc)


# facts_of -------------------------------------------------------------------------------


def test_facts_of_takes_the_latest_year_and_period_not_after_the_date(enterprises):
    a = _loaded(CHANGCHUN_A)
    facts = facts_of(a, date(2025, 6, 1))
    assert facts["year"] == 2024  # 2026 lies after the date
    assert facts["employees"] == 120
    assert facts["revenue"] == Decimal("15000.0")
    assert "rd_expense" not in facts  # unknown in 2024: left out, not taken from another year
    # the zjtx period starting 2022 (expired on the date) — not the one starting in 2026
    assert (facts["zjtx_from"], facts["zjtx_to"], facts["zjtx_first"]) == (
        date(2022, 1, 1),
        date(2024, 12, 31),
        date(2019, 1, 1),
    )
    assert facts["high_tech_from"] == date(2023, 10, 1)
    assert "high_tech_first" not in facts
    assert "little_giant_from" not in facts
    assert facts["district"] == "220105" and facts["dishonest"] is False
    assert "founder_graduate" not in facts  # unknown

    later = facts_of(a, date(2026, 6, 1))
    assert later["year"] == 2026 and later["employees"] == 400
    assert later["zjtx_from"] == date(2026, 1, 1)

    earlier = facts_of(a, date(2022, 12, 31))
    assert "year" not in earlier and "employees" not in earlier  # every year is later
    assert earlier["zjtx_from"] == date(2022, 1, 1)
    assert "high_tech_from" not in earlier


def test_size_of_classifies_the_year_taken(enterprises):
    a = _loaded(CHANGCHUN_A)
    result = size_of(a, date(2025, 6, 1))
    expected = classify_size(
        SizeFacts("3911", 120, Decimal(15000), Decimal(9000)), date(2025, 6, 1)
    )
    assert result.size == expected.size and result.steps == expected.steps
    assert size_of(a, date(2026, 6, 1)).size.value == "medium"
    # 建筑业 without total assets: the size stays open and says what is needed
    b = size_of(_loaded(CHANGCHUN_B), date(2025, 6, 1))
    assert b.size is None and b.missing_text == "需要资产总额（万元）"


def test_facts_of_matches_the_population_view(enterprises):
    """On a date after every row, facts_of takes what the screening view takes."""
    from django.db import connection

    from huiqi.screening.population import VIEW

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT year, employees, zjtx_from FROM {VIEW} WHERE uscc = %s", [CHANGCHUN_A]
        )
        year, employees, zjtx_from = cursor.fetchone()
    facts = facts_of(_loaded(CHANGCHUN_A), date(2030, 1, 1))
    assert (facts["year"], facts["employees"], facts["zjtx_from"].isoformat()) == (
        year,
        employees,
        str(zjtx_from),
    )


# pages ------------------------------------------------------------------------------------


def test_detail_page_shows_facts_size_and_policies(client, enterprises):
    load_bundled(publish=True)
    client.force_login(_official("220100"))
    response = client.get(reverse("enterprises:detail", args=[CHANGCHUN_A]))
    assert response.status_code == 200
    text = _text(response)
    assert "长春甲科技有限公司" in text and "二道区（220105）" in text
    assert "3911计算机整机制造" in text
    years = response.context["years"]
    assert [row["year"] for row in years] == [2026, 2024, 2023]  # one row per year
    assert "15,000" in text
    assert "专精特新中小企业" in text and "2022-01-01至2024-12-31" in text
    assert "已过期" in text
    # the size class with its explanation and citations
    result = size_of(_loaded(CHANGCHUN_A), date.today())
    assert result.size is not None and result.size.label in text
    for step in result.steps:
        assert re.sub(r"\s+", "", step) in text
    assert "《中小企业划型标准规定》（工信部联企业〔2011〕300号）第四条第（二）项" in text
    # matching published policies, with their versions
    calculation = response.context["calculation"]
    assert calculation.results
    assert "第1版" in text and "适用的惠企政策" in text
    assert reverse("calculator:public") in response.content.decode()


def test_list_searches_filters_and_pages(client, registry_csv, population):
    assert import_registry(registry_csv, actor=None).applied
    client.force_login(_official("220100"))
    response = client.get(reverse("enterprises:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 40
    assert len(response.context["rows"]) == 25
    second = client.get(reverse("enterprises:list"), {"page": 2})
    assert len(second.context["rows"]) == 15

    some = population.row(0, named=True)
    found = client.get(reverse("enterprises:list"), {"q": some["uscc"]})
    assert [e.uscc for e, _, _, _ in found.context["rows"]] == [some["uscc"]]
    by_name = client.get(reverse("enterprises:list"), {"q": some["name"][2:6]})
    assert some["uscc"] in {e.uscc for e, _, _, _ in by_name.context["rows"]}

    district = client.get(
        reverse("enterprises:list"), {"district": "220102"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in district.content.decode()
    expected = population.filter(population["district"] == "220102").height
    assert district.context["page"].paginator.count == expected

    manufacturing = client.get(reverse("enterprises:list"), {"industry": "C"})
    codes = population["industry"].to_list()
    expected_c = sum(1 for c in codes if 13 <= int(c[:2]) <= 43)
    assert manufacturing.context["page"].paginator.count == expected_c

    from huiqi.population import size_classes

    sizes = size_classes(population, date.today()).to_list()
    for size in ("micro", "small"):
        page = client.get(reverse("enterprises:list"), {"size": size})
        assert page.context["page"].paginator.count == sizes.count(size)
        assert all(
            label == {"micro": "微型企业", "small": "小型企业"}[size]
            for _, _, _, label in page.context["rows"]
        )

    bad = client.get(reverse("enterprises:list"), {"industry": "ZZ"})
    assert bad.context["form"].errors["industry"]
    assert 'id="id_industry_error"' in bad.content.decode()


def test_mine_redirects_an_enterprise_user(client, enterprises):
    client.force_login(_enterprise_user(CHANGCHUN_A))
    response = client.get(reverse("enterprises:mine"))
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:detail", args=[CHANGCHUN_A])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("calculator:mine") in page.content.decode()


def test_mine_without_a_registry_record(client):
    client.force_login(_enterprise_user(CHANGCHUN_A))
    response = client.get(reverse("enterprises:mine"))
    assert response.status_code == 404
    assert "企业名录中没有本企业" in _text(response)


# permissions ------------------------------------------------------------------------------


def test_an_enterprise_sees_only_itself(client, enterprises):
    client.force_login(_enterprise_user(CHANGCHUN_A))
    assert client.get(reverse("enterprises:detail", args=[CHANGCHUN_A])).status_code == 200
    assert client.get(reverse("enterprises:detail", args=[CHANGCHUN_B])).status_code == 404
    assert client.get(f"/api/enterprises/{CHANGCHUN_A}").status_code == 200
    other = client.get(f"/api/enterprises/{CHANGCHUN_B}")
    assert other.status_code == 404
    assert "无权查看" in other.json()["detail"]
    assert client.get(reverse("enterprises:list")).status_code == 403
    assert client.get("/api/enterprises").status_code == 403


def test_an_official_sees_only_their_jurisdiction(client, enterprises):
    shenzhen = _official("440300")
    client.force_login(shenzhen)
    assert client.get(reverse("enterprises:detail", args=[CHANGCHUN_A])).status_code == 404
    assert client.get(reverse("enterprises:detail", args=[SHENZHEN])).status_code == 200
    assert client.get(f"/api/enterprises/{CHANGCHUN_A}").status_code == 404
    listed = client.get(reverse("enterprises:list"))
    assert [e.uscc for e, _, _, _ in listed.context["rows"]] == [SHENZHEN]
    # the same through a bearer token
    client.logout()
    _, key = issue_token(actor=None, user=shenzhen, name="test")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api = client.get("/api/enterprises", **auth)
    assert api.status_code == 200
    assert [e["uscc"] for e in api.json()["items"]] == [SHENZHEN]
    assert client.get(f"/api/enterprises/{CHANGCHUN_B}", **auth).status_code == 404


def test_the_public_sees_no_registry(client, enterprises):
    for url in (
        reverse("enterprises:list"),
        reverse("enterprises:detail", args=[CHANGCHUN_A]),
        reverse("enterprises:mine"),
        reverse("calculator:mine"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get("/api/enterprises").status_code == 401
    assert client.get(f"/api/enterprises/{CHANGCHUN_A}").status_code == 401


def test_api_record_has_years_qualifications_and_size(client, enterprises):
    client.force_login(_official("220100"))
    data = client.get(f"/api/enterprises/{CHANGCHUN_A}").json()
    assert [y["year"] for y in data["years"]] == [2026, 2024, 2023]
    assert {q["kind"] for q in data["qualifications"]} == {"zjtx", "high_tech"}
    size = data["size"]
    assert (
        size["citation"] == "《中小企业划型标准规定》（工信部联企业〔2011〕300号）第四条第（二）项"
    )
    assert size["steps"]
    listing = client.get("/api/enterprises", {"size": "medium"}).json()
    assert listing["count"] == 1 and listing["items"][0]["size"] == "medium"
    invalid = client.get("/api/enterprises", {"size": "huge"})
    assert invalid.status_code == 422
    assert "企业规模" in invalid.json()["detail"]["size"][0]


def test_size_filter_takes_the_year_facts_of_takes(enterprises):
    """The list's size filter (SQL) and size_of (Python) classify the same year."""
    from huiqi.enterprises.forms import sized
    from huiqi.rules.size import SizeClass

    for on in (date(2025, 6, 1), date(2026, 6, 1)):
        expected = size_of(_loaded(CHANGCHUN_A), on).size
        for size in SizeClass:
            found = Enterprise.objects.filter(uscc__in=sized(size, on))
            assert (CHANGCHUN_A in {e.uscc for e in found}) == (size is expected)
        # an enterprise whose size cannot be decided is of no size
        assert not any(
            Enterprise.objects.filter(uscc__in=sized(s, on), uscc=CHANGCHUN_B).exists()
            for s in SizeClass
        )
