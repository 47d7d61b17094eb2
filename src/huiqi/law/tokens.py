"""Tokens for Chinese full-text search, computed in Python so that every storage backend
(SQLite FTS5 today, a PostgreSQL tsvector later) indexes exactly the same terms.

A text is folded (NFKC, case-folded: full-width digits and letters become ASCII, Kangxi
radicals from PDF extraction become the ideographs) and cut into *runs* of token characters
(letters, digits, ideographs); punctuation and whitespace separate runs. Each run of n
characters gives n tokens, one starting at each character: the bigrams, then the last
character alone (投诉举报 → 投诉 诉举 举报 报). So a token's position is its character's
position, every character begins exactly one token, and a phrase of bigrams cannot match
across a run boundary (the lone last character stands between). This makes search work as
substring search: a query of two or more characters is the phrase of its bigrams; a query of
one character is a prefix query on the token it begins.

jieba words are indexed beside the bigrams to help ranking, never to decide a match.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

_RUN = re.compile(r"[^\W_]+")
_SEPARATORS = r"[\W_]"
_MAX_WORD = 4
_MAX_WHOLE_WORD = 8


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first use of each character."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = unicodedata.normalize("NFKC", chr(code)).casefold()
        return folded


_FOLD = _FoldTable()


def fold(text: str) -> str:
    """The text as tokens see it: NFKC and case-folded, one character at a time (full-width
    ，（１Ａ become ,(1a; the Kangxi radical ⼀ becomes 一)."""
    return text.translate(_FOLD)


def fold_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """:func:`fold` plus, for each folded character, the index of the character it came
    from (and a last entry ``len(text)``), to map matches back onto the original text."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, range(len(text) + 1)
    offsets: list[int] = []
    for i, ch in enumerate(text):
        offsets.extend([i] * len(_FOLD[ord(ch)]))
    offsets.append(len(text))
    return folded, offsets


def runs(folded: str) -> list[str]:
    """The runs of token characters of a folded text."""
    return _RUN.findall(folded)


def _run_tokens(run: str) -> Iterator[str]:
    for i in range(len(run) - 1):
        yield run[i : i + 2]
    yield run[-1]


def text_tokens(text: str) -> list[str]:
    """The tokens of a text to index: for each run, its bigrams and its last character."""
    return [tok for run in runs(fold(text)) for tok in _run_tokens(run)]


@dataclass(frozen=True)
class Term:
    """One whitespace-separated query term, ready for a backend.

    ``phrase`` is the sequence of tokens that must occur consecutively; ``prefix`` says the
    last of them is a prefix (a one-character run at the end of the term); ``words`` are
    the term's substrings that may be indexed jieba words, used only for ranking; ``text``
    is the folded term and ``pattern`` finds it in a folded text (for snippets).
    """

    text: str
    phrase: tuple[str, ...]
    prefix: bool
    words: tuple[str, ...]
    pattern: re.Pattern[str]


def query_term(term: str) -> Term | None:
    """A query term, or None when it holds no letter, digit or ideograph."""
    folded = fold(term)
    parts = runs(folded)
    if not parts:
        return None
    phrase: list[str] = []
    for i, run in enumerate(parts):
        tokens = list(_run_tokens(run))
        last = i == len(parts) - 1
        phrase.extend(tokens[:-1] if last and len(run) > 1 else tokens)
    pattern = re.compile(f"{_SEPARATORS}+".join(re.escape(run) for run in parts))
    return Term(
        text=folded,
        phrase=tuple(phrase),
        prefix=len(parts[-1]) == 1,
        words=_candidate_words(parts),
        pattern=pattern,
    )


def _candidate_words(parts: list[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for run in parts:
        if len(run) <= _MAX_WHOLE_WORD:
            out[run] = None
        for size in range(2, min(_MAX_WORD, len(run)) + 1):
            for i in range(len(run) - size + 1):
                out[run[i : i + size]] = None
    return tuple(out)


@cache
def _segmenter() -> jieba.Tokenizer:
    """jieba with its bundled dictionary and quiet logging; imported only to build an index
    (loading takes most of a second; queries do not need it)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str) -> list[str]:
    """jieba's words of the text (search mode: long words and the words inside them),
    keeping only words made of token characters."""
    return [w for w in _segmenter().lcut_for_search(fold(text)) if _RUN.fullmatch(w)]


def segmenter_version() -> str:
    """Changes when jieba's segmentation may change; part of the index cache key."""
    return metadata.version("jieba")
