"""Benchmark of the register of obligations: accuracy against the hand labels
(tests/law/data/obligations_labels.yaml) and the time to build the register for the whole
bundled corpus (parsing excluded, measured apart), with a baseline measured in the same run:
a modal-word counter that only finds the sentences holding 应当/不得/可以/鼓励.

Run: ``.venv/bin/python benchmarks/obligations.py``.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

import yaml

from huiqi.law.library import load_manifest
from huiqi.law.obligations import extract
from huiqi.law.obligations.extract import split_sentences
from huiqi.law.obligations.score import labels_from, score

RUNS = 5
LABELS = Path(__file__).resolve().parents[1] / "tests" / "law" / "data" / "obligations_labels.yaml"
_MODAL = re.compile(r"应当|不得|可以|鼓励|支持|禁止|严禁")


def _median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    t0 = time.perf_counter()
    lib = load_manifest()
    docs = lib.documents()
    parse_ms = (time.perf_counter() - t0) * 1000
    articles = sum(len(doc.articles) for _, doc in docs)

    t0 = time.perf_counter()
    extract(docs[0][1])  # first call loads jieba's dictionary
    warm_ms = (time.perf_counter() - t0) * 1000

    def build():
        return [extract(doc, doc_id=e.id, title=e.display_title) for e, doc in docs]

    def baseline():
        return [
            s
            for _, doc in docs
            for n in doc.walk()
            for s in split_sentences(n.text)
            if _MODAL.search(s)
        ]

    registers = build()
    total = sum(len(r) for r in registers)
    build_ms = _median_ms(build)
    base_ms = _median_ms(baseline)

    raw = yaml.safe_load(LABELS.read_text("utf-8"))
    found: dict = {}
    for (entry, _), obs in zip(docs, registers, strict=True):
        for ob in obs:
            found.setdefault((entry.id, ob.node), []).append(ob)

    print(f"corpus: {len(docs)} documents, {articles} articles, parsed in {parse_ms:.0f} ms")
    print(f"register: {total} obligations; first call (jieba load) {warm_ms:.0f} ms")
    print(f"build register, whole corpus: median {build_ms:.1f} ms over {RUNS} runs")
    print(f"baseline (sentences with a modal word, no parsing): median {base_ms:.1f} ms")
    for name, subset in (("all labels", None), ("development", False), ("held out", True)):
        result = score(labels_from(raw, heldout=subset), found)
        s = result.summary()
        print(
            f"{name:12s} provisions {s['provisions']:3d}  duties {s['labelled']:3d}  "
            f"precision {s['precision']:.3f}  recall {s['recall']:.3f}  "
            f"bearer {s['bearer']:.3f}  modality {s['modality']:.3f}  "
            f"time limit {s['time_limit']:.3f}  exception {s['exception']:.3f}"
        )
    by_modality: dict[str, int] = {}
    for obs in registers:
        for ob in obs:
            by_modality[ob.modality.label] = by_modality.get(ob.modality.label, 0) + 1
    print("by modality: " + "  ".join(f"{k} {v}" for k, v in by_modality.items()))


if __name__ == "__main__":
    main()
