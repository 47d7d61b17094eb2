"""Benchmark of version comparison: accuracy of the alignment on the 湖南 修改对照稿 and the
time to generate a 对照稿.

Accuracy: the 修订草案 and the 二次审议稿 are aligned from their texts alone — editorial
notes stripped, the table's rows never read — and the result's rows are scored against the
table's own rows (definition in huiqi.law.compare.accuracy and docs/compare.md). The
baseline, measured in the same run, pairs articles by number, as tools that align only by
id do.

Times: median of several runs, after one warm-up run that also pays the one-off imports
(scikit-learn, scipy), reported apart. Targets: precision and recall ≥ 0.9; each
generation < 1 s.

Run: ``.venv/bin/python benchmarks/compare.py``.
"""

from __future__ import annotations

import statistics
import time
from importlib import resources

from huiqi.law import Comparison, bundled, parse_bytes
from huiqi.law.compare import (
    Alignment,
    ArticlePair,
    MatchedBy,
    Relation,
    align,
    build_sheet,
    sheet_to_docx,
    sheet_to_html,
    sheet_to_markdown,
    without_notes,
)
from huiqi.law.compare.accuracy import score
from huiqi.law.compare.vectors import clear_cache

RUNS = 7
TARGET = 0.9
PAIRS = (
    ("430000-sme-measures-revision-draft", "430000-sme-measures-second-reading-2020-09-16"),
    ("220100-sme-promotion-draft", "220100-sme-promotion-2025-04-03"),
    ("cn-sme-payment-regulation-2020-07-05", "cn-sme-payment-regulation-2025-03-17"),
)


def by_number(alignment_of: Alignment) -> Alignment:
    """The baseline: article n pairs with article n; the rest are added or deleted."""
    old, new = alignment_of.old, alignment_of.new
    new_ids = {a.id for a in new.articles}
    old_ids = {a.id for a in old.articles}
    pairs = [
        ArticlePair(a.id, a.id, Relation.MODIFIED, 0.0, MatchedBy.NONE)
        for a in old.articles
        if a.id in new_ids
    ]
    pairs += [
        ArticlePair(a.id, None, Relation.DELETED, 0.0, MatchedBy.NONE)
        for a in old.articles
        if a.id not in new_ids
    ]
    pairs += [
        ArticlePair(None, a.id, Relation.ADDED, 0.0, MatchedBy.NONE)
        for a in new.articles
        if a.id not in old_ids
    ]
    return Alignment(old, new, pairs)


def median_ms(fn, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        clear_cache()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def generate(old, new) -> None:  # type: ignore[no-untyped-def]
    sheet = build_sheet(align(old, new))
    sheet_to_html(sheet)
    sheet_to_markdown(sheet)
    sheet_to_docx(sheet)


def main() -> None:
    name = "hunan-comparison-2020.txt"
    comparison = parse_bytes(resources.files("huiqi.law").joinpath("corpus", name).read_bytes())
    assert isinstance(comparison, Comparison)
    old, new = (without_notes(v) for v in comparison.versions)

    start = time.perf_counter()
    predicted = align(old, new, use_notes=False)
    first_ms = (time.perf_counter() - start) * 1000
    result = score(predicted, comparison)
    baseline = score(by_number(predicted), comparison)
    print(
        f"湖南 修订草案 ({len(old.articles)} 条) → 二次审议稿 ({len(new.articles)} 条), "
        "texts alone (notes stripped, table rows unread)"
    )
    print(f"  table links: {result.expected}; predicted links: {result.predicted}")
    print(
        f"  alignment : precision {result.precision:.3f}  recall {result.recall:.3f}  "
        f"(pairs only: {result.pairs_precision:.3f} / {result.pairs_recall:.3f})"
    )
    print(
        f"  by number : precision {baseline.precision:.3f}  recall {baseline.recall:.3f}  "
        f"(pairs only: {baseline.pairs_precision:.3f} / {baseline.pairs_recall:.3f})"
    )
    if result.wrong or result.missed:
        print(f"  wrong: {list(result.wrong)}  missed: {list(result.missed)}")
    noted = _noted_moves(comparison)
    found = {(p.old, p.new) for p in predicted.partial}
    print(
        f"  moved text the notes state (原… / 移至…), found by containment: "
        f"{len(noted & found)}/{len(noted)}"
    )
    ok = result.precision >= TARGET and result.recall >= TARGET
    print(f"  target precision and recall ≥ {TARGET}: {'met' if ok else 'NOT met'}")
    print(f"\nfirst alignment (imports scikit-learn, scipy): {first_ms:.0f} ms")
    print(f"median of {RUNS} runs (align | align + 对照稿 in HTML, Markdown and DOCX):")
    lib = bundled()
    for a, b in PAIRS:
        old_doc, new_doc = lib.document(a), lib.document(b)
        generate(old_doc, new_doc)
        t_align = median_ms(lambda o=old_doc, n=new_doc: align(o, n))
        t_all = median_ms(lambda o=old_doc, n=new_doc: generate(o, n))
        verdict = "< 1 s" if t_all < 1000 else "OVER 1 s"
        print(
            f"  {a} ({len(old_doc.articles)}) → {b} ({len(new_doc.articles)}): "
            f"{t_align:.0f} ms | {t_all:.0f} ms  {verdict}"
        )


def _noted_moves(comparison) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(earlier article, later article) pairs the 对照稿's notes state across rows."""
    out = set()
    old, new = comparison.versions
    row_of = {(o, n) for r in comparison.rows for o in r.earlier for n in r.later}
    for version, later in ((new, True), (old, False)):
        for node in version.walk():
            for note in node.notes:
                for ref in note.refs:
                    here = note.node.split("/")[0]
                    there = ref.node.split("/")[0]
                    pair = (there, here) if later else (here, there)
                    if ref.version != "same" and pair not in row_of:
                        out.add(pair)
    return out


if __name__ == "__main__":
    main()
