"""The library's comparison pages: the 修改对照稿 of two versions with its downloads, and
the corresponding provisions across jurisdictions with the packs' parameters."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as WordDocument

HUNAN_OLD = "430000-sme-measures-revision-draft"
HUNAN_NEW = "430000-sme-measures-second-reading-2020-09-16"
CHANGCHUN = "220100-sme-promotion-2025-04-03"

pytestmark = pytest.mark.django_db


def test_compare_two_versions(client, law_library) -> None:
    response = client.get(reverse("library:compare"), {"old": HUNAN_OLD, "new": HUNAN_NEW})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<table class="duizhao">' in page
    assert '<span class="del">根据实际情况</span>' in page
    assert '<b class="add">，并逐步扩大资金规模</b>' in page
    assert "（移至第二十一条第一款）" in page
    assert "阴影部分</span>为删去或者移动" in page
    assert reverse("library:compare_download", args=["docx"]) in page


def test_compare_defaults_to_the_next_version(client, law_library) -> None:
    response = client.get(reverse("library:compare"), {"old": "220100-sme-promotion-draft"})
    assert response.status_code == 200
    assert "长春市促进中小企业发展条例修改对照稿" in response.content.decode()


def test_compare_form_and_errors(client, law_library) -> None:
    assert client.get(reverse("library:compare")).status_code == 200
    missing = client.get(reverse("library:compare"), {"old": "nope", "new": CHANGCHUN})
    assert missing.status_code == 404
    assert "法规库中没有编号为“nope”的文件" in missing.content.decode()
    latest = client.get(reverse("library:compare"), {"old": CHANGCHUN})
    assert "没有更晚的版本" in latest.content.decode()


def test_downloads(client, law_library) -> None:
    query = {"old": HUNAN_OLD, "new": HUNAN_NEW}
    word = client.get(reverse("library:compare_download", args=["docx"]), query)
    assert word.status_code == 200
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    table = WordDocument(io.BytesIO(word.content)).tables[0]
    assert len(table.columns) == 2
    md = client.get(reverse("library:compare_download", args=["md"]), query)
    assert "~~根据实际情况~~" in md.content.decode()
    assert client.get(reverse("library:compare_download", args=["pdf"]), query).status_code == 404


def test_corresponding_topic_with_parameters(client, law_library) -> None:
    response = client.get(reverse("library:corresponding"), {"q": "政府采购预留份额"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "向中小企业预留的采购份额" in page and "各地不同" in page
    assert "中小企业40%以上，其中小微企业70%以上" in page
    assert reverse("library:article", args=[CHANGCHUN, "art_31"]) in page


def test_corresponding_article_and_errors(client, law_library) -> None:
    response = client.get(reverse("library:corresponding"), {"q": f"{CHANGCHUN}#43"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "20个工作日" in page and "未规定具体期限" in page
    bad = client.get(reverse("library:corresponding"), {"q": f"{CHANGCHUN}#art_99"})
    assert bad.status_code == 404 and "art_99" in bad.content.decode()
    wrong = client.get(reverse("library:corresponding"), {"q": "融资担保", "threshold": "x"})
    assert wrong.status_code == 400 and "最低相似度" in wrong.content.decode()
