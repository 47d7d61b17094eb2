"""The register of obligations in the regulation library: the table with its filters and the
CSV / Excel downloads (runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from huiqi.law.obligations import register_for
from huiqi.law.obligations.export import BEARER_HEADERS, HEADERS, SHEETS
from huiqi.library.services import load_bundled

CHANGCHUN = "220100-sme-promotion-2025-04-03"
PAYMENT = "cn-sme-payment-regulation-2025-03-17"


@pytest.fixture
def library(db):
    load_bundled()


def test_register_page_lists_every_duty_with_links(client, library):
    response = client.get(reverse("library:obligations", args=[CHANGCHUN]))
    assert response.status_code == 200
    page = response.content.decode()
    total = len(register_for(CHANGCHUN).obligations)
    assert f"共 {total} 项义务" in page
    assert "收到投诉、举报之日起二十个工作日内" in page
    assert reverse("library:article", args=[CHANGCHUN, "art_43/para_1"]) in page
    assert reverse("library:obligations_download", args=[CHANGCHUN, "xlsx"]) in page


def test_register_page_filters_by_bearer_and_modality(client, library):
    url = reverse("library:obligations", args=[PAYMENT])
    register = register_for(PAYMENT)
    response = client.get(url, {"bearer": "受理投诉部门", "modality": "must"})
    expected = register.select(bearer="受理投诉部门", modality="must")
    assert expected
    assert f"显示 {len(expected)} 项" in response.content.decode()
    response = client.get(url, {"modality": "must_not"})
    shown = response.content.decode().count('class="modality-must_not"')
    assert shown == len(register.select(modality="must_not"))
    assert 'class="modality-must"' not in response.content.decode()


def test_unknown_filters_are_ignored(client, library):
    response = client.get(
        reverse("library:obligations", args=[PAYMENT]), {"bearer": "无此主体", "modality": "x"}
    )
    assert response.status_code == 200
    total = len(register_for(PAYMENT).obligations)
    assert f"显示 {total} 项" in response.content.decode()


def test_csv_download_has_bom_and_headers(client, library):
    response = client.get(reverse("library:obligations_download", args=[CHANGCHUN, "csv"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(table[0]) == HEADERS
    by = client.get(
        reverse("library:obligations_download", args=[CHANGCHUN, "csv"]), {"by": "bearer"}
    )
    assert tuple(next(csv.reader(io.StringIO(by.content.decode("utf-8-sig"))))) == BEARER_HEADERS


def test_excel_download_opens_with_a_sheet_per_view(client, library):
    response = client.get(reverse("library:obligations_download", args=[PAYMENT, "xlsx"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == list(SHEETS)
    assert wb[SHEETS[0]].freeze_panes == "A2"


def test_unknown_document_or_format_is_a_chinese_404(client, library):
    response = client.get(reverse("library:obligations", args=["no-such-doc"]))
    assert response.status_code == 404
    assert "no-such-doc" in response.content.decode()
    response = client.get(reverse("library:obligations_download", args=[PAYMENT, "pdf"]))
    assert response.status_code == 404
    assert "不支持的下载格式" in response.content.decode()


def test_article_pages_still_resolve(client, library):
    response = client.get(reverse("library:article", args=[CHANGCHUN, "art_43"]))
    assert response.status_code == 200


def test_register_needs_the_document_in_the_database(client, db):
    from huiqi.library.models import LawDocument

    LawDocument.objects.filter(id=CHANGCHUN).delete()
    response = client.get(reverse("library:obligations", args=[CHANGCHUN]))
    assert response.status_code == 404
