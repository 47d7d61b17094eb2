"""Character n-gram TF-IDF (2–3 characters) and cosine similarity of provisions.

Chinese needs no word segmentation here: overlapping character bigrams and trigrams carry
the wording, and a TF-IDF weight lowers the boilerplate every article shares
(县级以上人民政府, 中小企业). scikit-learn is imported on first use (~0.5 s)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

NGRAM_RANGE = (2, 3)


def vectoriser() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", ngram_range=NGRAM_RANGE, sublinear_tf=True)


def similarity(old: Sequence[str], new: Sequence[str], fitted: Any | None = None) -> Any:
    """Cosine similarities (len(old) × len(new) numpy array) of the texts, with a vectoriser
    fitted on both sides together unless one is given."""
    import numpy as np

    if not old or not new:
        return np.zeros((len(old), len(new)))
    vec = fitted if fitted is not None else vectoriser().fit([*old, *new])
    a = vec.transform(old)
    b = vec.transform(new)
    return (a @ b.T).toarray()


def containment(part: str, whole: str) -> float:
    """The share of ``part``'s character trigrams (with repeats) that ``whole`` holds: near 1
    when ``part`` is copied into ``whole``, whatever else ``whole`` says. Trigrams, not
    bigrams: the boilerplate every provision shares (县级以上人民政府) weighs less."""
    grams = _grams(part)
    if not grams:
        return 0.0
    pool = _grams(whole)
    hit = sum(min(count, pool.get(gram, 0)) for gram, count in grams.items())
    return hit / sum(grams.values())


@lru_cache(maxsize=8192)
def _grams(text: str, n: int = 3) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(len(text) - n + 1):
        gram = text[i : i + n]
        out[gram] = out.get(gram, 0) + 1
    return out


def clear_cache() -> None:
    """Forget the trigram counts kept between calls (benchmarks time a cold run)."""
    _grams.cache_clear()
