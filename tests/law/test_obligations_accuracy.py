"""Accuracy of the register of obligations against hand labels (tests/law/data/
obligations_labels.yaml). Thresholds are those stated in docs/obligations.md."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from huiqi.law import bundled
from huiqi.law.obligations import extract
from huiqi.law.obligations.score import labels_from, score

LABELS = Path(__file__).parent / "data" / "obligations_labels.yaml"

THRESHOLDS = {
    "precision": 0.95,
    "recall": 0.95,
    "modality": 0.95,
    "bearer": 0.90,
    "time_limit": 0.95,
}
REQUIRED_DOCS = {
    "220100-sme-promotion-2025-04-03",
    "430000-sme-measures-2021-01-01",
    "440300-sme-promotion-draft",
    "cn-sme-payment-regulation-2025-03-17",
    "cn-sme-promotion-law-2017-09-01",
}


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load(LABELS.read_text("utf-8"))


@pytest.fixture(scope="module")
def found(raw):
    lib = bundled()
    out: dict = {}
    for doc_id in {p["doc"] for p in raw["provisions"]}:
        for ob in extract(lib.document(doc_id), doc_id=doc_id):
            out.setdefault((doc_id, ob.node), []).append(ob)
    return out


def test_labels_cover_the_corpus(raw):
    provisions = raw["provisions"]
    assert len(provisions) >= 60
    assert {p["doc"] for p in provisions} >= REQUIRED_DOCS
    keys = [(p["doc"], p["node"]) for p in provisions]
    assert len(keys) == len(set(keys)), "a provision is labelled twice"
    lib = bundled()
    for doc_id, node in keys:
        assert lib.document(doc_id).find(node) is not None, (doc_id, node)


def test_labels_hold_the_hard_cases(raw):
    obs = [ob for p in raw["provisions"] for ob in p["obligations"]]
    assert any(ob.get("exception") and ob["modality"] == "must_not" for ob in obs)
    assert any((ob.get("time_limit") or {}).get("trigger") for ob in obs)
    assert any(p["node"].count("/") == 2 and p["obligations"] for p in raw["provisions"])
    assert (
        sum(1 for p in raw["provisions"] if len({o["modality"] for o in p["obligations"]}) > 1)
        >= 10
    )
    assert sum(1 for p in raw["provisions"] if not p["obligations"]) >= 10


def test_accuracy_meets_the_stated_thresholds(raw, found):
    result = score(labels_from(raw), found)
    figures = result.summary()
    low = {k: figures[k] for k, floor in THRESHOLDS.items() if figures[k] < floor}
    assert not low, f"below threshold: {low}\n" + "\n".join(result.misses)


def test_held_out_provisions_are_scored_apart(raw, found):
    held = score(labels_from(raw, heldout=True), found)
    dev = score(labels_from(raw, heldout=False), found)
    assert held.provisions >= 20 and dev.provisions >= 60
    assert held.provisions + dev.provisions == len(raw["provisions"])
    assert held.summary()["modality"] >= THRESHOLDS["modality"]
