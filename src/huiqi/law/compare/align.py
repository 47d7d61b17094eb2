"""Align two versions of a text: which article (and paragraph) became which.

The steps, in order (each only for what the earlier steps left unpaired):

1. editorial notes of a 修改对照稿 — （原第九条） on a later article pairs it with the earlier
   one; a note on a paragraph (（原第十三条第一款）) links that content without making a pair;
2. exact text (whitespace and punctuation width ignored);
3. character 2–3-gram TF-IDF cosine similarity, plus a position prior around the pairs found
   so far, solved as an optimal assignment (scipy's ``linear_sum_assignment``); a pair whose
   similarity is under ``threshold`` is dropped, leaving an addition and a deletion;
4. internal cross-references (本条例第十二条) of the earlier text rewritten with the mapping
   of step 3, then steps 2–3 again — a reference that only follows a renumbering stops
   counting as a difference;
5. split and merge: an unpaired article (or a paragraph no pair explains) whose text is
   largely contained in a provision on the other side is linked to it.

The relation of a one-to-one pair is ``moved`` when the article left the chapter its
neighbours went to, else ``same`` / ``renumbered`` for an unchanged text (heading included)
with the same / another number, else ``modified``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..model import Document, Node
from .model import ONE_TO_ONE, Alignment, ArticlePair, MatchedBy, Pair, Relation
from .text import article_key, body_text, normalise, paragraphs_of, rewrite_xrefs
from .vectors import containment, similarity, vectoriser

THRESHOLD = 0.15
"""Least cosine similarity of a TF-IDF pair that keeps the order of its neighbours; below
it the articles count as deleted/added."""
MOVE_THRESHOLD = 0.5
"""Least cosine similarity of a pair that breaks the order (an article moved elsewhere)."""
PRIOR_WEIGHT = 0.3
"""The position prior: added to an order-keeping pair's similarity in the assignment,
subtracted from an order-breaking one's."""
CONTAINMENT = 0.6
"""Least share of a provision's bigrams found in another for a split/merge link."""
_MIN_CONTAINED = 30
"""Shorter texts (字) are never linked by containment: 删除 stays 删除, and a short clause of
boilerplate (本市行政区域内促进中小企业发展工作，适用本条例) is not taken for moved text."""
_CANDIDATES = 5
_SUBSTANTIAL = 0.5
"""Least share of an unpartnered article's text its split/merge links must carry."""


@dataclass
class _Side:
    doc: Document
    articles: list[Node]
    texts: list[str]  # compared text (cross-references rewritten on the earlier side)
    full: list[str]  # heading + text, for the relation

    @classmethod
    def of(cls, doc: Document) -> _Side:
        arts = doc.articles
        return cls(
            doc,
            arts,
            [body_text(a) for a in arts],
            [normalise(a.heading or "") + "|" + body_text(a) for a in arts],
        )


@dataclass
class _Link:
    old: int
    new: int
    score: float
    by: MatchedBy


def align(
    old: Document,
    new: Document,
    *,
    use_notes: bool = True,
    threshold: float = THRESHOLD,
    move_threshold: float = MOVE_THRESHOLD,
    prior_weight: float = PRIOR_WEIGHT,
) -> Alignment:
    """Pair the articles of ``old`` (the earlier version) with those of ``new``."""
    a, b = _Side.of(old), _Side.of(new)
    vec = vectoriser().fit([*a.texts, *b.texts]) if a.texts and b.texts else None
    fixed, partial_notes = _note_links(a, b) if use_notes else ({}, [])
    links = _pass(a, b, vec, fixed, threshold, move_threshold, prior_weight)
    mapping = {
        article_key(a.articles[k.old].id): article_key(b.articles[k.new].id) for k in links.values()
    }
    rewritten = [rewrite_xrefs(t, lambda n, s: mapping.get((n, s))) for t in a.texts]
    changed = {i for i, (t, r) in enumerate(zip(a.texts, rewritten, strict=True)) if t != r}
    if changed:
        a.texts = rewritten
        a.full = [f.split("|", 1)[0] + "|" + t for f, t in zip(a.full, rewritten, strict=True)]
        links = _pass(a, b, vec, fixed, threshold, move_threshold, prior_weight)
        for i in changed & links.keys():
            if links[i].by is not MatchedBy.NOTE:
                links[i].by = MatchedBy.XREF
    primary = list(links.values())
    _containment_pairs(a, b, primary, vec)
    moved = _moved(a, b, primary)
    pairs: list[ArticlePair] = []
    para_vec = _ParagraphVectors(a, b, vec)
    for link in sorted(primary, key=lambda k: k.new):
        pairs.append(_article_pair(a, b, link, moved, para_vec, threshold))
    pairs.extend(_partial_links(a, b, primary, partial_notes, para_vec))
    linked_old = {p.old for p in pairs}
    linked_new = {p.new for p in pairs}
    for art in a.articles:
        if art.id not in linked_old:
            pairs.append(ArticlePair(art.id, None, Relation.DELETED, 0.0, MatchedBy.NONE))
    for art in b.articles:
        if art.id not in linked_new:
            pairs.append(ArticlePair(None, art.id, Relation.ADDED, 0.0, MatchedBy.NONE))
    return Alignment(old, new, _ordered(pairs, a, b))


def _ordered(pairs: list[ArticlePair], a: _Side, b: _Side) -> list[ArticlePair]:
    """Later-version order; an earlier-only entry just after the later partner of the
    nearest earlier article before it."""
    old_pos = {art.id: i for i, art in enumerate(a.articles)}
    new_pos = {art.id: j for j, art in enumerate(b.articles)}
    partner = {old_pos[p.old]: new_pos[p.new] for p in pairs if p.relation in ONE_TO_ONE}

    def key(p: ArticlePair) -> tuple[float, int]:
        if p.new is not None:
            return new_pos[p.new], old_pos.get(p.old, -1) if p.old else -1
        i = old_pos[p.old]
        before = [partner[k] for k in partner if k < i]
        return (max(before) if before else -1) + 0.5, i

    return sorted(pairs, key=key)


# -- step 1: notes ---------------------------------------------------------------------


def _note_links(a: _Side, b: _Side) -> tuple[dict[int, _Link], list[tuple[str, str, str]]]:
    """Article pairs a note states for a whole article, and links of content a note states
    for part of one: (earlier node id, later node id, note text)."""
    old_index = {art.id: i for i, art in enumerate(a.articles)}
    new_index = {art.id: j for j, art in enumerate(b.articles)}
    fixed: dict[int, _Link] = {}
    partial: list[tuple[str, str, str]] = []

    def record(old_node: str, new_node: str, text: str) -> None:
        old_node, new_node = _single_paragraph(a.doc, old_node), _single_paragraph(b.doc, new_node)
        old_art, new_art = old_node.split("/")[0], new_node.split("/")[0]
        if old_art not in old_index or new_art not in new_index:
            return
        i, j = old_index[old_art], new_index[new_art]
        whole = _whole(a.doc, old_node) and _whole(b.doc, new_node)
        taken = any(k.new == j for k in fixed.values())
        if whole and i not in fixed and not taken:
            fixed[i] = _Link(i, j, 1.0, MatchedBy.NOTE)
        else:
            partial.append((old_node, new_node, text))

    for side, later in ((b, True), (a, False)):
        for art in side.articles:
            for node in art.walk():
                for note in node.notes:
                    for ref in note.refs:
                        if later and ref.version == "earlier":
                            record(ref.node, note.node, note.text)
                        elif not later and ref.version == "later":
                            record(note.node, ref.node, note.text)
    return fixed, partial


def _whole(doc: Document, node_id: str) -> bool:
    """The node is an article, or the only paragraph of one."""
    return _single_paragraph(doc, node_id.split("/")[0]) == node_id


def _single_paragraph(doc: Document, node_id: str) -> str:
    """A note's 第二十条 for an article of one paragraph means that paragraph."""
    if "/" in node_id:
        return node_id
    art = doc.find(node_id)
    paras = paragraphs_of(art) if art is not None else []
    return paras[0].id if len(paras) == 1 else node_id


# -- steps 2–3: exact text, TF-IDF + position prior + assignment -------------------------


def _pass(
    a: _Side,
    b: _Side,
    vec: Any,
    fixed: dict[int, _Link],
    threshold: float,
    move_threshold: float,
    prior_weight: float,
) -> dict[int, _Link]:
    links = {i: _Link(k.old, k.new, k.score, k.by) for i, k in fixed.items()}
    used_new = {k.new for k in links.values()}
    by_text: dict[str, list[int]] = {}
    for j, text in enumerate(b.texts):
        if j not in used_new:
            by_text.setdefault(text, []).append(j)
    for i, text in enumerate(a.texts):
        if i in links or not by_text.get(text):
            continue
        j = by_text[text].pop(0)
        links[i] = _Link(i, j, 1.0, MatchedBy.EXACT)
        used_new.add(j)
    rest_old = [i for i in range(len(a.texts)) if i not in links]
    rest_new = [j for j in range(len(b.texts)) if j not in used_new]
    if not rest_old or not rest_new or vec is None:
        return links
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    sim = similarity([a.texts[i] for i in rest_old], [b.texts[j] for j in rest_new], vec)
    full = np.zeros((len(a.texts), len(b.texts)))
    full[np.ix_(rest_old, rest_new)] = sim
    for k in links.values():
        full[k.old, k.new] = 1.0 + threshold
    gaps = _gaps(_monotone_path(full, threshold), len(a.texts), len(b.texts))
    in_gap = np.array([[gaps[i][0] < j < gaps[i][1] for j in rest_new] for i in rest_old])
    accept = np.where(in_gap, sim >= threshold, sim >= move_threshold)
    benefit = np.where(accept, sim + np.where(in_gap, prior_weight, -prior_weight), 0.0)
    rows, cols = linear_sum_assignment(benefit, maximize=True)
    for r, c in zip(rows, cols, strict=True):
        if accept[r, c]:
            links[rest_old[r]] = _Link(rest_old[r], rest_new[c], float(sim[r, c]), MatchedBy.TFIDF)
    return links


def _monotone_path(score: Any, threshold: float) -> list[tuple[int, int]]:
    """The order-keeping pairs of greatest total (score − threshold): a sequence alignment
    in which only pairs scoring at least ``threshold`` take part."""
    n, m = score.shape
    gain = (score - threshold).tolist()
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below, g = best[i], best[i + 1], gain[i]
        for j in range(m - 1, -1, -1):
            take = g[j] + below[j + 1] if g[j] > 0 else 0.0
            row[j] = max(below[j], row[j + 1], take)
    path = []
    i = j = 0
    while i < n and j < m:
        if gain[i][j] > 0 and best[i][j] == gain[i][j] + best[i + 1][j + 1]:
            path.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return path


def _gaps(path: list[tuple[int, int]], n_old: int, n_new: int) -> list[tuple[int, int]]:
    """For each earlier article, the open interval of later positions that keeps the order
    of the path's pairs: (later partner of the path pair before it, of the one after)."""
    out = []
    for i in range(n_old):
        before = max((j for k, j in path if k < i), default=-1)
        after = min((j for k, j in path if k > i), default=n_new)
        out.append((before, after))
    return out


# -- step 5: containment ------------------------------------------------------------------


class _ParagraphVectors:
    """Every paragraph of both versions, vectorised once."""

    def __init__(self, a: _Side, b: _Side, vec: Any):
        self.old = [(art.id, p) for art in a.articles for p in paragraphs_of(art)]
        self.new = [(art.id, p) for art in b.articles for p in paragraphs_of(art)]
        self.old_text = [body_text(p) for _, p in self.old]
        self.new_text = [body_text(p) for _, p in self.new]
        self.sim = similarity(self.old_text, self.new_text, vec) if vec is not None else None
        self.old_at = {p.id: k for k, (_, p) in enumerate(self.old)}
        self.new_at = {p.id: k for k, (_, p) in enumerate(self.new)}


def _containment_pairs(a: _Side, b: _Side, primary: list[_Link], vec: Any) -> None:
    """An unpaired earlier article whose text lies mostly inside an unpaired later one (or
    the reverse) is a one-to-one pair that similarity missed: text much longer on one side."""
    used_old = {k.old for k in primary}
    used_new = {k.new for k in primary}
    rest_old = [i for i in range(len(a.texts)) if i not in used_old]
    rest_new = [j for j in range(len(b.texts)) if j not in used_new]
    candidates = []
    for i in rest_old:
        for j in rest_new:
            short, long_ = sorted((a.texts[i], b.texts[j]), key=len)
            if len(short) < _MIN_CONTAINED:
                continue
            score = containment(short, long_)
            if score >= CONTAINMENT:
                candidates.append((score, i, j))
    for score, i, j in sorted(candidates, reverse=True):
        if i in used_old or j in used_new:
            continue
        primary.append(_Link(i, j, score, MatchedBy.CONTAINMENT))
        used_old.add(i)
        used_new.add(j)


def _partial_links(
    a: _Side,
    b: _Side,
    primary: list[_Link],
    notes: list[tuple[str, str, str]],
    pv: _ParagraphVectors,
) -> list[ArticlePair]:
    """Split and merge links: content of an earlier paragraph found in a later paragraph
    that no one-to-one pair explains (stated by a note, or found by containment)."""
    old_partner = {a.articles[k.old].id: b.articles[k.new].id for k in primary}
    new_partner = {v: k for k, v in old_partner.items()}
    found: dict[tuple[str, str], tuple[float, MatchedBy, list[tuple[str, str]]]] = {}

    def add(old_node: str, new_node: str, score: float, by: MatchedBy) -> None:
        key = (old_node.split("/")[0], new_node.split("/")[0])
        if old_partner.get(key[0]) == key[1]:
            return
        prev = found.get(key)
        if prev and (old_node, new_node) in prev[2]:
            return
        paras = [*(prev[2] if prev else []), (old_node, new_node)]
        best = max(score, prev[0]) if prev else score
        by = MatchedBy.NOTE if by is MatchedBy.NOTE or (prev and prev[1] is MatchedBy.NOTE) else by
        found[key] = (best, by, paras)

    for old_node, new_node, _text in notes:
        add(old_node, new_node, 1.0, MatchedBy.NOTE)
    explained_old, explained_new = _explained_paragraphs(pv, old_partner)
    if pv.sim is not None:
        for k, (_, para) in enumerate(pv.old):
            if para.id in explained_old or len(pv.old_text[k]) < _MIN_CONTAINED:
                continue
            for c in _top(pv.sim[k, :]):
                score = containment(pv.old_text[k], pv.new_text[c])
                if score >= CONTAINMENT:
                    add(para.id, pv.new[c][1].id, score, MatchedBy.CONTAINMENT)
                    break
        for c, (_, para) in enumerate(pv.new):
            if para.id in explained_new or len(pv.new_text[c]) < _MIN_CONTAINED:
                continue
            for k in _top(pv.sim[:, c]):
                score = containment(pv.new_text[c], pv.old_text[k])
                if score >= CONTAINMENT:
                    add(pv.old[k][1].id, para.id, score, MatchedBy.CONTAINMENT)
                    break
    linked_old = {o for _, _, paras in found.values() for o, _ in paras}
    linked_new = {n for _, _, paras in found.values() for _, n in paras}
    found = {
        (old_id, new_id): link
        for (old_id, new_id), link in found.items()
        if link[1] is MatchedBy.NOTE
        or (
            (old_id in old_partner or _covered(old_id, linked_old, pv.old, pv.old_text))
            and (new_id in new_partner or _covered(new_id, linked_new, pv.new, pv.new_text))
        )
    }
    targets_of_old = Counter(o for o, _ in found)
    sources_of_new = Counter(n for _, n in found)
    out = []
    for (old_id, new_id), (score, by, paras) in found.items():
        if targets_of_old[old_id] > 1 or old_id in old_partner:
            relation = Relation.SPLIT
        elif sources_of_new[new_id] > 1 or new_id in new_partner:
            relation = Relation.MERGED
        else:
            relation = Relation.SPLIT
        para_pairs = tuple(Pair(o, n, relation, round(score, 3), by) for o, n in paras)
        out.append(ArticlePair(old_id, new_id, relation, round(score, 3), by, para_pairs))
    return out


def _covered(
    article: str, linked: set[str], paragraphs: list[tuple[str, Node]], texts: list[str]
) -> bool:
    """Whether the paragraphs of ``article`` that split/merge links carry make up at least
    half of its text. An article with no one-to-one partner becomes split or merged only
    then: one shared sentence of boilerplate (……另有规定的，从其规定) does not turn a deleted
    article into a merged one."""
    whole = part = 0
    for (art, para), text in zip(paragraphs, texts, strict=True):
        if art == article:
            whole += len(text)
            part += len(text) if para.id in linked else 0
    return part >= whole * _SUBSTANTIAL


def _top(row: Any) -> list[int]:
    import numpy as np

    return [int(x) for x in np.argsort(-row)[:_CANDIDATES]]


def _explained_paragraphs(
    pv: _ParagraphVectors, old_partner: dict[str, str]
) -> tuple[set[str], set[str]]:
    """Paragraphs whose text a one-to-one article pair already accounts for: those with a
    similar paragraph (cosine ≥ 0.5) in the partner article."""
    explained_old: set[str] = set()
    explained_new: set[str] = set()
    if pv.sim is None:
        return explained_old, explained_new
    new_by_art: dict[str, list[int]] = {}
    for c, (art_id, _) in enumerate(pv.new):
        new_by_art.setdefault(art_id, []).append(c)
    for k, (old_art, para) in enumerate(pv.old):
        partner = old_partner.get(old_art)
        for c in new_by_art.get(partner, []) if partner else []:
            if pv.sim[k, c] >= 0.5:
                explained_old.add(para.id)
                explained_new.add(pv.new[c][1].id)
    return explained_old, explained_new


# -- relations -----------------------------------------------------------------------------


def _moved(a: _Side, b: _Side, primary: list[_Link]) -> set[int]:
    """Earlier articles (indexes) that left the chapter their neighbours went to: each
    earlier chapter maps to the later chapter most of its articles went to."""
    old_ch = a.doc.chapter_of()
    new_ch = b.doc.chapter_of()
    if not old_ch or not new_ch:
        return set()
    votes: dict[str, Counter[str]] = {}
    for k in primary:
        oc, nc = old_ch.get(a.articles[k.old].id), new_ch.get(b.articles[k.new].id)
        if oc is not None and nc is not None:
            votes.setdefault(oc.id, Counter())[nc.id] += 1
    target = {oc: c.most_common(1)[0][0] for oc, c in votes.items()}
    out = set()
    for k in primary:
        oc, nc = old_ch.get(a.articles[k.old].id), new_ch.get(b.articles[k.new].id)
        if oc is not None and nc is not None and target.get(oc.id) != nc.id:
            out.add(k.old)
    return out


def _article_pair(
    a: _Side,
    b: _Side,
    link: _Link,
    moved: set[int],
    pv: _ParagraphVectors,
    threshold: float,
) -> ArticlePair:
    old_art, new_art = a.articles[link.old], b.articles[link.new]
    if link.old in moved:
        relation = Relation.MOVED
    elif a.full[link.old] == b.full[link.new]:
        same_number = article_key(old_art.id) == article_key(new_art.id)
        relation = Relation.SAME if same_number else Relation.RENUMBERED
    else:
        relation = Relation.MODIFIED
    paragraphs = _paragraph_pairs(old_art, new_art, pv, threshold)
    return ArticlePair(
        old_art.id, new_art.id, relation, round(link.score, 3), link.by, tuple(paragraphs)
    )


def _paragraph_pairs(
    old_art: Node, new_art: Node, pv: _ParagraphVectors, threshold: float
) -> list[Pair]:
    """The paragraphs of two paired articles: exact text, then similarity by assignment."""
    olds, news = paragraphs_of(old_art), paragraphs_of(new_art)
    o_idx = [pv.old_at[p.id] for p in olds]
    n_idx = [pv.new_at[p.id] for p in news]
    o_txt = [pv.old_text[k] for k in o_idx]
    n_txt = [pv.new_text[k] for k in n_idx]
    pairs: dict[int, tuple[int, float, MatchedBy]] = {}
    free = list(range(len(news)))
    for i, text in enumerate(o_txt):
        j = next((j for j in free if n_txt[j] == text), None)
        if j is not None:
            pairs[i] = (j, 1.0, MatchedBy.EXACT)
            free.remove(j)
    rest = [i for i in range(len(olds)) if i not in pairs]
    if rest and free and pv.sim is not None:
        import numpy as np
        from scipy.optimize import linear_sum_assignment

        sim = np.array([[pv.sim[o_idx[i], n_idx[j]] for j in free] for i in rest])
        scale = max(len(olds), len(news))
        prior = np.array([[1 - abs(i - j) / scale for j in free] for i in rest])
        benefit = np.where(sim >= threshold, sim + PRIOR_WEIGHT * prior, 0.0)
        rows, cols = linear_sum_assignment(benefit, maximize=True)
        for r, c in zip(rows, cols, strict=True):
            if sim[r, c] >= threshold:
                pairs[rest[r]] = (free[c], float(sim[r, c]), MatchedBy.TFIDF)
    out: list[Pair] = []
    for i, (j, score, by) in pairs.items():
        if o_txt[i] == n_txt[j]:
            relation = Relation.SAME if i == j else Relation.RENUMBERED
        else:
            relation = Relation.MODIFIED
        out.append(Pair(olds[i].id, news[j].id, relation, round(score, 3), by))
    for i in range(len(olds)):
        if i not in pairs:
            out.append(Pair(olds[i].id, None, Relation.DELETED, 0.0, MatchedBy.NONE))
    paired_new = {j for j, _, _ in pairs.values()}
    for j in range(len(news)):
        if j not in paired_new:
            out.append(Pair(None, news[j].id, Relation.ADDED, 0.0, MatchedBy.NONE))
    new_pos = {p.id: j for j, p in enumerate(news)}
    old_pos = {p.id: i for i, p in enumerate(olds)}
    out.sort(key=lambda p: (new_pos[p.new] if p.new else old_pos[p.old] - 0.5, p.old or ""))
    return out
