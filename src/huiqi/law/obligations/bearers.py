"""Duty-bearers: the parties a provision names as the ones who must, must not or may act.

A bearer phrase is a list of parties joined by 、 和 及 以及 或者 (市、县（市）区人民政府及其有关部门;
机关、事业单位和大型企业). :func:`parse_bearer` accepts a phrase only when every party in it
ends in a head noun (人民政府, 部门, 机构, 企业, 协会 …) and splits it into parts, spreading a
shared head over the parties that lack one (市、县（市）区人民政府 → 市人民政府, 县（市）区人民政府;
发展和改革、商务等部门 → 发展和改革部门, 商务部门) and 及其 over the party before it
(…人民政府及其有关部门 → …人民政府有关部门).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache

HEAD = (
    r"(?:人民政府|政府(?!性)|国务院|部门|机关|机构|单位|企业|协会|商会|组织|媒体|学校|院校|银行|公司"
    r"|委员会|管委会|基地|园区|基金|主体|供应商|(?:级|中央)财政|团体|工会|共青团|妇联|残联|国家|户|人(?![才力口数事])|员|(?<!或)者|方)"
)
_ENDS_WITH_HEAD = re.compile(HEAD + r"$")
_SEPARATOR = re.compile(r"以及|及其|或者其|或者|、|和|及|或")
_ALIAS = re.compile(r"（以下(?:统称|简称)[^）]*）")
_LEADING = re.compile(r"^(?:但是?|并且?|同时|其中|对此|另外)")
_TRAILING = re.compile(r"(?:均|也|都|还|则|亦|应|必须)$")
# A party never starts with a preposition or a clause verb.
_BAD_START = re.compile(
    r"^(?:对于?|为|向|从|在|与|将|把|按照|依照|依法|根据|通过|经(?!营|济|销)|以|由|当|因|如"
    r"|建设|建立|创办|利用|开展|实施|推进|参与|下列|以下)"
)
_INNER_PREPOSITION = re.compile(r"(?<![导方面意倾走])向|[从将把]|对(?!外)")
# What may follow a bearer at the start of a sentence.
_CONTINUATION = re.compile(
    r"^(?:，|应当|必须|不得|可以|可|有权|负有|从|对|向|在|为|与|于|以|将|经|按照|依照|依据|依法|根据|通过"
    r"|使用|采购|拖欠|迟延|违反|发放|要求|会同|建立)"
)
_MAX_LEN = 80
_HEAD_THEN_PREPOSITION = re.compile(HEAD + r"(?:对|向|从|在|为|与|将|把|按照|依照|根据|通过|经)")
_MODAL_WORD = re.compile(r"应当|不得|可以|必须|禁止|严禁|有权")


@dataclass(frozen=True)
class Bearer:
    """A duty-bearer as written (``text``) and the parties it names (``parts``).

    ``inherited`` marks a bearer taken from an earlier sentence, paragraph or an item's
    lead-in because the provision itself names none (shown as （承前） in the tables)."""

    text: str
    parts: tuple[str, ...]
    inherited: bool = False

    def as_inherited(self) -> Bearer:
        return Bearer(self.text, self.parts, inherited=True)


def clean(text: str) -> str:
    """The phrase without （以下统称…） aliases, leading 但/并 and trailing adverbs (均, 也)."""
    text = _ALIAS.sub("", text).strip()
    text = _LEADING.sub("", text)
    prev = None
    while prev != text:
        prev, text = text, _TRAILING.sub("", text)
    return text


def _pieces(text: str) -> list[tuple[str, str]] | None:
    """(separator before, piece) pairs; 和/及/或 split only after a piece with a head, so
    发展和改革 or 人力资源和社会保障部门 stay whole."""
    out: list[tuple[str, str]] = []
    sep, start = "", 0
    for m in _SEPARATOR.finditer(text):
        piece = text[start : m.start()]
        if m.group() not in ("、", "及其", "或者其") and not _ENDS_WITH_HEAD.search(piece):
            continue
        if not piece:
            return None
        out.append((sep, piece))
        sep, start = m.group(), m.end()
    last = text[start:]
    if not last:
        return None
    out.append((sep, last))
    return out


def parse_bearer(text: str) -> Bearer | None:
    """The bearer named by ``text`` as a whole, or None when it is not a list of parties
    (付款期限, 中小企业发展专项资金, 高等学校毕业生…创办小型微型企业的)."""
    text = clean(text)
    if not text or len(text) > _MAX_LEN or not _ENDS_WITH_HEAD.search(text):
        return None
    if (
        any(ch in text for ch in "，。；：“”并")
        or _BAD_START.match(text)
        or _MODAL_WORD.search(text)
    ):
        return None
    if _HEAD_THEN_PREPOSITION.search(text) or _INNER_PREPOSITION.search(
        text
    ):  # …的部门对拖欠…的机关: a clause, not a list
        return None
    pieces = _pieces(text)
    if pieces is None:
        return None
    parts: list[str] = []
    group: list[str] = []  # the parts of the last headed piece (the owners of a 及其)
    owners: list[str] = []  # …人民政府及其[有关部门]: the parties 其 stands for
    pending: list[str] = []  # pieces without a head, waiting for the shared head
    for sep, piece in pieces:
        if sep in ("及其", "或者其"):
            if pending or not group:
                return None
            owners = list(parts)
            piece = piece.removeprefix("其")
        if _BAD_START.match(piece):
            return None
        if not _ENDS_WITH_HEAD.search(piece):
            pending.append(piece)
            continue
        group = _distribute(pending, piece)
        if owners:
            group = [o + g for o in owners for g in group]
            owners = []
        parts.extend(group)
        pending = []
    if pending:
        return None
    return Bearer(text, tuple(dict.fromkeys(parts)))


def _distribute(pending: list[str], piece: str) -> list[str]:
    """Spread the head of ``piece`` over the headless pieces before it."""
    if "等" in piece:
        first, _, rest = piece.rpartition("等")
        if rest and (pending or not _ENDS_WITH_HEAD.search(first)):
            return [p + rest for p in [*pending, first] if p]
    if not pending:
        return [piece]
    shared = piece[
        re.search(HEAD, piece).start() :
    ]  # 县（市）区人民政府有关部门 → 人民政府有关部门
    return [p + shared for p in pending] + [piece]


def bearer_at_start(text: str) -> tuple[Bearer, int] | None:
    """The bearer opening ``text`` (机关、事业单位从中小企业采购… → 机关、事业单位), with its end
    offset: the longest list of parties that a modal, a preposition or a comma follows, else
    the shortest that jieba sees a verb follow (…有关部门起草涉及企业经济活动的… → …有关部门)."""
    heads = [m.end() for m in re.finditer(HEAD, text) if m.end() <= _MAX_LEN]
    for end in reversed(heads):
        if _CONTINUATION.match(text[end:]):
            bearer = parse_bearer(text[:end])
            if bearer is not None:
                return bearer, end
    for end in heads:
        if starts_with_verb(text[end : end + 8]):
            bearer = parse_bearer(text[:end])
            if bearer is not None:
                return bearer, end
    return None


def party_after_verb(text: str) -> tuple[Bearer, int] | None:
    """The party named right after 鼓励/支持/引导/禁止 (鼓励大型企业通过… → 大型企业), or
    None when the object is an activity (鼓励建立…机制, 支持通过…方式, 禁止下列行为).

    The party is the shortest run ending in a head noun, extended over 、/和/及 to further
    parties; jieba's part of speech rejects objects that start with a verb or preposition
    unless a 的 makes them a modifier (符合条件的中小企业)."""
    first = re.search(HEAD, text)
    if first is None:
        return None
    end = first.end()
    while (more := re.match(HEAD, text[end:])) is not None:  # 非法人 + 组织
        end += more.end()
    compound = re.match(r"(?![、和及或等])[^\W\d_]{1,4}?" + HEAD, text[end:])  # 第三方 + 评级机构
    if compound and not starts_with_verb(text[end:]) and "的" not in compound.group():
        end += compound.end()
    if text[end : end + 1] == "的" or any(ch in text[:end] for ch in "，。；："):
        return None
    # further parties: 自然人、法人和非法人组织; 中小企业及中小企业的有关行业组织; 大型企业等单位
    while True:
        m = re.match(r"等[^\W\d_]{0,4}?" + HEAD, text[end:])
        if m is None:
            sep = re.match(r"、|和|及|以及|或者", text[end:])
            if sep is None:
                break
            tail = text[end + sep.end() : end + sep.end() + 24]
            ends = [
                h.end()
                for h in re.finditer(HEAD, tail)
                if not re.search(r"[，。；、]", tail[: h.end()])
                and tail[h.end() : h.end() + 1] != "的"
                and not re.match(HEAD, tail[h.end() :])
            ]
            if not ends:
                break
            end += sep.end() + ends[0]
        else:
            end += m.end()
    bearer = parse_bearer(text[:end])
    return (bearer, end) if bearer else None


@cache
def _pos_tokenizer():
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg.POSTokenizer(jieba.Tokenizer())


def starts_with_verb(text: str) -> bool:
    """Whether jieba tags the first word of ``text`` a verb, preposition or adverb."""
    for pair in _pos_tokenizer().cut(text):
        return pair.flag in ("v", "p", "d") or pair.word in ("下列", "以下")
    return False
