"""The manifest describes each bundled text; where the text itself states a title or a
date, the two must agree."""

from __future__ import annotations

import pytest

from huiqi.law import Comparison, bundled, parse_file
from huiqi.law.library import STAGES, TYPES

from .corpus import corpus_path

LIB = bundled()


def test_manifest_lists_the_nine_texts_as_ten_documents():
    assert len(LIB.entries) == 10
    assert len({e.id for e in LIB.entries}) == 10
    assert len({e.file for e in LIB.entries}) == 9
    for entry in LIB.entries:
        assert entry.stage in STAGES
        assert entry.type in TYPES
        assert entry.jurisdiction.code in entry.id.split("-")[0]
        assert corpus_path(entry.file).is_file()


def test_version_links():
    chains = {
        "220100-sme-promotion-2025-04-03": "220100-sme-promotion-draft",
        "430000-sme-measures-second-reading-2020-09-16": "430000-sme-measures-revision-draft",
        "430000-sme-measures-2021-01-01": "430000-sme-measures-second-reading-2020-09-16",
        "cn-sme-payment-regulation-2025-03-17": "cn-sme-payment-regulation-2020-07-05",
    }
    for later, earlier in chains.items():
        assert LIB.get(later).version_of == earlier
        assert LIB.get(earlier).work == LIB.get(later).work


@pytest.mark.parametrize("entry", LIB.entries, ids=lambda e: e.id)
def test_dates_stated_by_the_text_agree_with_the_manifest(entry):
    doc = LIB.document(entry.id)
    for event in doc.events:
        assert entry.dates.get(event.kind) == event.on, (event.kind, event.text)


def test_texts_state_the_dates_the_manifest_relies_on():
    changchun = LIB.document("220100-sme-promotion-2025-04-03")
    assert {e.kind for e in changchun.events} == {"adopted", "approved", "promulgated", "effective"}
    hunan = LIB.document("430000-sme-measures-2021-01-01")
    assert [(e.kind, e.on) for e in hunan.events] == [
        ("effective", LIB.get(hunan_id := "430000-sme-measures-2021-01-01").dates["effective"])
    ]
    assert "第三十六条" in hunan.events[0].text, hunan_id
    cmp = parse_file(corpus_path("hunan-comparison-2020.txt"))
    assert isinstance(cmp, Comparison)
    assert [(e.kind, e.on) for e in cmp.events] == [
        ("prepared", LIB.get("430000-sme-measures-second-reading-2020-09-16").dates["prepared"])
    ]


@pytest.mark.parametrize("entry", LIB.entries, ids=lambda e: e.id)
def test_titles_stated_by_the_text_agree_with_the_manifest(entry):
    parsed = parse_file(corpus_path(entry.file))
    if isinstance(parsed, Comparison):
        stated = parsed.versions[entry.part - 1].title
        assert stated == entry.display_title
    elif parsed.title is not None:
        assert parsed.title == entry.title
    else:
        assert entry.file in ("changchun-draft.txt", "hunan-2021.txt")


def test_lookup_by_unique_prefix_and_clear_errors():
    assert LIB.get("220100-sme-promotion-2025").id == "220100-sme-promotion-2025-04-03"
    with pytest.raises(Exception, match="对应多个文件"):
        LIB.get("220100")
    with pytest.raises(Exception, match="法规库中没有编号"):
        LIB.get("110000-nothing")
