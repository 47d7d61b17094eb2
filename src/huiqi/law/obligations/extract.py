"""Rule-based extraction of duties from the provisions of a :class:`~huiqi.law.model.Document`.

A sentence (cut at 。；：！？ outside brackets and quotes) is cut into comma segments; a
segment that opens with a modal word — or whose words before the modal are a bearer —
starts an obligation, and the segments after it up to the next such segment are its action.
So 应当严格按照批准的预算执行，不得无预算、超预算开展采购 gives a must and a must-not
(款项支付条例 第八条), while 履行…义务、不得利用优势地位… keeps the 不得 inside the action.

Modal words and their modality:

======================  ===========  ==============================================
应当 必须 负有…义务        must
不得 禁止 严禁             must_not     禁止/严禁 X… names X as the bearer if X is a party
可以 可 有权               may
鼓励 支持 引导             encouraged   only opening a sentence (国家鼓励… too); the
                                       bearer is the party encouraged (鼓励大型企业… →
                                       大型企业); mid-sentence they are verbs of an action
======================  ===========  ==============================================

The bearer is, in order: the words before the modal in its segment when they name parties;
for the first obligation of a sentence, the parties opening the sentence (机关、事业单位
从中小企业采购…，应当…); otherwise the nearest bearer stated earlier in the same article
(an item's lead-in, the paragraph's or an earlier paragraph's subject) — skipping parties
only encouraged, and the holder of a right (可以) when the new duty is a 不得 (中小企业可以
依法平等进入，不得设置歧视性市场准入条件 addresses the authorities, not the enterprises).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum

from huiqi.law.citations import node_path_label, render
from huiqi.law.model import Document, Kind, Node

from .bearers import Bearer, bearer_at_start, parse_bearer, party_after_verb, starts_with_verb
from .limits import TimeLimit, find_time_limit


class Modality(StrEnum):
    MUST = "must"
    MUST_NOT = "must_not"
    MAY = "may"
    ENCOURAGED = "encouraged"

    @property
    def label(self) -> str:
        """The Chinese name used in the tables: 应当, 不得, 可以, 鼓励."""
        return _LABELS[self]


_LABELS = {
    Modality.MUST: "应当",
    Modality.MUST_NOT: "不得",
    Modality.MAY: "可以",
    Modality.ENCOURAGED: "鼓励",
}
MODALITY_BY_LABEL = {label: modality for modality, label in _LABELS.items()}


@dataclass(frozen=True)
class Obligation:
    """One duty: who (``bearer``, None when the text names no one), ``modality``, what
    (``action``: the words after the modal up to the next duty or the sentence end), when
    (``time_limit``), except when (``exception``: …除外), where (``node``, ``citation``) and
    the ``sentence`` it was read from. ``modal`` is the word found (应当, 不得, 严禁, 可 …);
    for an item that has none, the lead-in's."""

    doc_id: str | None
    node: str
    citation: str
    bearer: Bearer | None
    modality: Modality
    modal: str
    action: str
    time_limit: TimeLimit | None
    exception: str | None
    sentence: str

    @property
    def article(self) -> str:
        return self.node.split("/")[0]

    @property
    def provision(self) -> str:
        """The node as 第四十三条第一款."""
        return node_path_label(self.node)

    def as_dict(self) -> dict:
        return {
            "doc": self.doc_id,
            "node": self.node,
            "citation": self.citation,
            "bearer": self.bearer.text if self.bearer else None,
            "bearer_parts": list(self.bearer.parts) if self.bearer else [],
            "bearer_inherited": bool(self.bearer and self.bearer.inherited),
            "modality": self.modality.value,
            "modal": self.modal,
            "action": self.action,
            "time_limit": self.time_limit.as_dict() if self.time_limit else None,
            "exception": self.exception,
            "sentence": self.sentence,
        }


_MUST = r"应当|必须|负有(?=[^，。；]*义务)"
_MUST_NOT = r"不得|(?<![未不])禁止(?!行为)|严禁"
_MAY = r"可以|有权|(?<![许认不即宁])可(?![以能控抗见行靠信持得视观转])"
_MODAL = re.compile(rf"(?P<must>{_MUST})|(?P<must_not>{_MUST_NOT})|(?P<may>{_MAY})")
_ENCOURAGE = re.compile(r"^(?:国家)?(?:鼓励|支持|引导)(?:(?:、|和|并)?(?:鼓励|支持|引导))*")
_PROHIBIT_OPENING = re.compile(r"^(?:禁止|严禁)")
_OPENER = re.compile(r"^(?:但是|但|并且|并|同时|而且|另外)")
_PREPOSITION = re.compile(r"^(?:对于?|为|向|从|在|与|将|把|其他)")
_EXCEPTION = re.compile(r"^(?:但是?)?(?P<what>.+?)的?除外$")
_EXCEPT_BEFORE = re.compile(r"^除(?P<what>.+)外$")
_LIST_DUTY = re.compile(r"(?:下列|以下)(?!内容|事项|情形|行为之一)")
_TRAILING_PUNCT = "，。；：、 "
_OPEN, _CLOSE = "（(“‘《〈[", "）)”’》〉]"


def split_sentences(text: str) -> list[str]:
    """Sentences ending at 。；：！？ outside brackets and quotes, each with its end mark."""
    return _split(text, "。；：！？", keep=True)


def split_segments(sentence: str) -> list[str]:
    """The comma segments of a sentence (without the commas and the end mark)."""
    return [s for s in _split(sentence.rstrip("。；：！？"), "，", keep=False) if s]


def _split(text: str, marks: str, *, keep: bool) -> list[str]:
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in marks and depth == 0:
            out.append(text[start : i + 1] if keep else text[start:i])
            start = i + 1
    if text[start:].strip():
        out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


@dataclass
class _Context:
    """Bearers stated so far in one article, for the provisions that name none."""

    stated: list[tuple[Bearer, Modality]] = field(default_factory=list)

    def inherit(self, modality: Modality) -> Bearer | None:
        for bearer, was in reversed(self.stated):
            if was is Modality.ENCOURAGED:
                continue
            if was is Modality.MAY and modality is Modality.MUST_NOT:
                continue
            return bearer.as_inherited()
        return None


@dataclass
class _Draft:
    bearer: Bearer | None
    modality: Modality
    modal: str
    prefix: str
    parts: list[str]
    exception: str | None = None


@dataclass(frozen=True)
class _Modal:
    word: str
    modality: Modality
    start: int
    end: int


def _find_modal(segment: str, *, sentence_start: bool, has_current: bool) -> _Modal | None:
    opener = _OPENER.match(segment)
    offset = opener.end() if opener else 0
    body = segment[offset:]
    if sentence_start:
        m = _ENCOURAGE.match(body)
        if m:
            word = m.group().removeprefix("国家")
            return _Modal(word, Modality.ENCOURAGED, offset + m.start(), offset + m.end())
    for m in _MODAL.finditer(body):
        prefix = body[: m.start()]
        if prefix:
            if prefix.endswith(("、", "和", "或者")):
                continue
            if _PREPOSITION.match(prefix) and "的" not in prefix:
                continue  # 对可以通过公共数据平台提取的材料: the modal is inside a phrase
            if m.group() == "可" and parse_bearer(prefix) is None:
                continue
            # 保护中小企业可以平等进入…: a right described inside the action, not a new duty;
            # 必要时可以会同… is one
            inside = parse_bearer(prefix) is None or starts_with_verb(prefix)
            if (
                has_current
                and m.lastgroup == "may"
                and inside
                and not re.search("[时后前]$", prefix)
            ):
                continue
        if m.group() in ("禁止", "严禁") and not sentence_start and not prefix:
            continue  # …完善行业自律，禁止本行业大型企业…: the verb of an action
        kind = Modality(m.lastgroup)
        return _Modal(m.group(), kind, offset + m.start(), offset + m.end())
    return None


def _trim(text: str) -> str:
    return text.strip(_TRAILING_PUNCT)


class _Extractor:
    def __init__(self, doc: Document, doc_id: str | None, title: str | None):
        self.doc = doc
        self.doc_id = doc_id
        self.title = title if title is not None else doc.title

    def run(self) -> Iterator[Obligation]:
        for article in self.doc.articles:
            ctx = _Context()
            paragraphs = article.paragraphs or ([article] if article.text else [])
            for para in paragraphs:
                yield from self._provision(para, ctx)

    def _provision(self, node: Node, ctx: _Context) -> Iterator[Obligation]:
        lead = list(self._sentences(node, node.text, ctx, template=None, opening=True))
        yield from lead
        template = None
        sentences = split_sentences(node.text)
        if lead and sentences and sentences[-1].endswith("："):
            last = lead[-1]
            if last.sentence == sentences[-1] and _LIST_DUTY.search(last.action):
                template = last
        for child in node.children:
            if child.kind in (Kind.ITEM, Kind.SUBITEM):
                yield from self._sentences(child, child.text, ctx, template, opening=False)
                for sub in child.children:
                    yield from self._sentences(sub, sub.text, ctx, template, opening=False)

    def _sentences(
        self, node: Node, text: str, ctx: _Context, template: Obligation | None, *, opening: bool
    ) -> Iterator[Obligation]:
        """The duties of one paragraph's or item's text. ``opening``: whether 鼓励/支持/引导
        may open a duty (not in items, where 支持中小企业发展的资金… is a list entry)."""
        last: list[Obligation] = []
        for sentence in split_sentences(text):
            drafts = self._drafts(sentence, ctx, opening=opening)
            if not drafts:
                subject = bearer_at_start(sentence)
                if subject is not None:  # 县级以上人民政府对…统一安排；确实不能满足需要的，应当…
                    ctx.stated.append((subject[0], Modality.MUST))
            if not drafts and template is not None:
                body = _trim(sentence)
                bearer = template.bearer.as_inherited() if template.bearer else None
                drafts = [_Draft(bearer, template.modality, template.modal, "", [body])]
            exception_only = _EXCEPTION.match(_trim(sentence))
            if not drafts and exception_only and last:
                # 中小企业无法提供的商品和服务除外。 — qualifies the duty before it
                prev = last[-1]
                last[-1] = _replace_exception(prev, exception_only["what"])
                continue
            for draft in drafts:
                last.append(self._obligation(node, sentence, draft))
        yield from last

    def _drafts(self, sentence: str, ctx: _Context, *, opening: bool) -> list[_Draft]:
        drafts: list[_Draft] = []
        current: _Draft | None = None
        pending_exception: str | None = None
        segments = split_segments(sentence)
        for i, seg in enumerate(segments):
            before = _EXCEPT_BEFORE.match(seg)
            if before and current is None:
                pending_exception = before["what"]
                continue
            exc = _EXCEPTION.match(seg)
            if exc and current is not None:
                current.exception = exc["what"]
                continue
            modal = _find_modal(
                seg, sentence_start=opening and i == 0, has_current=current is not None
            )
            if modal is None:
                if current is not None:
                    current.parts.append(seg)
                continue
            current = self._start(sentence, segments, i, seg, modal, ctx, first=not drafts)
            if pending_exception:
                current.exception, pending_exception = pending_exception, None
            drafts.append(current)
        return drafts

    def _start(
        self,
        sentence: str,
        segments: list[str],
        index: int,
        seg: str,
        modal: _Modal,
        ctx: _Context,
        *,
        first: bool,
    ) -> _Draft:
        prefix = seg[: modal.start]
        rest = seg[modal.end :]
        bearer: Bearer | None = None
        object_party = modal.modality is Modality.ENCOURAGED or (
            modal.word in ("禁止", "严禁") and not _OPENER.sub("", prefix).strip()
        )
        if object_party:
            found = party_after_verb(rest)
            if found:
                bearer, end = found
                rest = rest[end:].removeprefix("等")
        elif _OPENER.sub("", prefix).strip():
            bearer = parse_bearer(prefix)
        if bearer is None and not prefix.strip() and index > 0 and not object_party:
            # 中小企业以应收账款申请担保融资时，其应收账款的付款方，应当…
            bearer = parse_bearer(segments[index - 1])
        if bearer is None and first and not object_party:
            found = bearer_at_start(sentence)
            if found and found[1] <= len(segments[0]):
                bearer = found[0]
        if bearer is not None:
            ctx.stated.append((bearer, modal.modality))
        elif modal.modality is not Modality.ENCOURAGED:
            bearer = ctx.inherit(modal.modality)
        return _Draft(bearer, modal.modality, modal.word, prefix, [rest] if rest else [])

    def _obligation(self, node: Node, sentence: str, draft: _Draft) -> Obligation:
        action = _trim("，".join(p for p in draft.parts if p))
        limit = find_time_limit(action) or find_time_limit(draft.prefix)
        return Obligation(
            doc_id=self.doc_id,
            node=node.id,
            citation=render(self.title, node.id),
            bearer=draft.bearer,
            modality=draft.modality,
            modal=draft.modal,
            action=action,
            time_limit=limit,
            exception=draft.exception,
            sentence=sentence,
        )


def _replace_exception(ob: Obligation, what: str) -> Obligation:
    return replace(ob, exception=what)


def extract(
    doc: Document, *, doc_id: str | None = None, title: str | None = None
) -> list[Obligation]:
    """Every duty in ``doc``, in the order of the text. ``title`` names the document in the
    citations (default: the document's own title)."""
    return list(_Extractor(doc, doc_id, title).run())
