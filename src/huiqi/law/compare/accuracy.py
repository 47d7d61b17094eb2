"""How well an alignment reproduces a 修改对照稿's own rows.

Both sides are reduced to *row links* — the rows of a 对照稿, each article in exactly one:

- the document: each table row with articles on both sides gives a link (earlier, later)
  for every earlier × later article in it; a row with one side empty gives (earlier, —) or
  (—, later) for each of its articles;
- the alignment: :meth:`Alignment.rows` — each one-to-one pair is a link (earlier, later);
  every other article is a link with an empty side, including an article linked only by a
  split or merge (the 对照稿 shows it in its own row, with a note such as （移至第二十条第二款）).

precision = |predicted ∩ table| / |predicted|, recall = |predicted ∩ table| / |table|.
A correct (earlier, —) link is a correctly found deletion; a wrong pair costs twice (the
pair is not in the table, and the table's links for those articles are missed).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Comparison
from .model import Alignment

Link = tuple[str | None, str | None]


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    correct: int
    predicted: int
    expected: int
    pairs_precision: float
    """The same, counting only links with both sides (the pairing proper)."""
    pairs_recall: float
    wrong: tuple[Link, ...]
    """Predicted links the table does not have."""
    missed: tuple[Link, ...]
    """Table links not predicted."""


def table_links(comparison: Comparison) -> set[Link]:
    out: set[Link] = set()
    for row in comparison.rows:
        if row.earlier and row.later:
            out.update((o, n) for o in row.earlier for n in row.later)
        else:
            out.update((o, None) for o in row.earlier)
            out.update((None, n) for n in row.later)
    return out


def predicted_links(alignment: Alignment) -> set[Link]:
    return {(old.id if old else None, new.id if new else None) for old, new, _ in alignment.rows()}


def score(alignment: Alignment, comparison: Comparison) -> Score:
    predicted = predicted_links(alignment)
    expected = table_links(comparison)
    hit = predicted & expected
    both_p = {k for k in predicted if k[0] and k[1]}
    both_e = {k for k in expected if k[0] and k[1]}
    return Score(
        precision=_ratio(len(hit), len(predicted)),
        recall=_ratio(len(hit), len(expected)),
        correct=len(hit),
        predicted=len(predicted),
        expected=len(expected),
        pairs_precision=_ratio(len(both_p & both_e), len(both_p)),
        pairs_recall=_ratio(len(both_p & both_e), len(both_e)),
        wrong=tuple(sorted(predicted - expected, key=str)),
        missed=tuple(sorted(expected - predicted, key=str)),
    )


def _ratio(num: int, den: int) -> float:
    return num / den if den else 1.0
