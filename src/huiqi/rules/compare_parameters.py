"""Parameters side by side for corresponding provisions of several jurisdictions.

:func:`huiqi.law.compare.corresponding` finds the provisions on a topic in every document;
this joins them with the rules packs: each pack parameter whose citation points at one of
those provisions (the article, or a paragraph or item inside it) is listed per jurisdiction,
and a parameter whose values differ is flagged — 长春 二十个工作日 against 湖南's
“在法律法规规定的时间内”; 湖南 30% / 60% against 深圳's draft 40% / 70%.
(Here, not in huiqi.law: huiqi.rules imports huiqi.law, never the other way round.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from huiqi.law.compare.corresponding import Correspondence

from .citations import CitationKind
from .packs import Pack, Period, Range, Shares, available_packs, load_pack, percent


@dataclass(frozen=True)
class ParameterValue:
    """One jurisdiction's value of a parameter, where a matched provision sets it."""

    jurisdiction: str
    jurisdiction_name: str
    pack: str
    doc: str
    node: str
    citation: str
    value: str
    note: str | None
    draft: bool

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ParameterComparison:
    name: str
    label: str
    values: tuple[ParameterValue, ...]

    @property
    def differs(self) -> bool:
        """The jurisdictions' values are not all the same."""
        return len({v.value for v in self.values}) > 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "differs": self.differs,
            "values": [v.as_dict() for v in self.values],
        }


def value_text(value: Any) -> str:
    """A parameter value in words: 20个工作日, 30%／60%, 6%—10%, 未规定具体期限."""
    if value is None:
        return "未规定具体期限"
    if isinstance(value, Period | Range):
        return value.text
    if isinstance(value, Shares):
        return f"中小企业{percent(value.sme)}以上，其中小微企业{percent(value.small_micro)}以上"
    if hasattr(value, "normalize"):
        return percent(value)
    return str(value)


def _covers(article_or_node: str, cited: str) -> bool:
    return cited == article_or_node or cited.startswith(article_or_node.split("/")[0] + "/")


def compare_parameters(
    provisions: Iterable[tuple[str, str]], packs: Iterable[Pack] | None = None
) -> list[ParameterComparison]:
    """The pack parameters cited at any of ``provisions`` ((doc id, article or node id)),
    grouped by parameter, one value per (pack, provision); every bundled pack by default,
    so a draft's pack (湖南 修订草案) is compared too."""
    chosen = list(packs) if packs is not None else [load_pack(n) for n in available_packs()]
    wanted = list(provisions)
    found: dict[str, list[ParameterValue]] = {}
    labels: dict[str, str] = {}
    for pack in chosen:
        for name, parameter in pack.parameters.items():
            for value in parameter.values:
                cite = value.citation
                if cite.kind is not CitationKind.LAW or cite.node is None:
                    continue
                if not any(doc == cite.source and _covers(node, cite.node) for doc, node in wanted):
                    continue
                labels[name] = parameter.label
                found.setdefault(name, []).append(
                    ParameterValue(
                        jurisdiction=pack.jurisdiction.code,
                        jurisdiction_name=pack.jurisdiction.name,
                        pack=pack.name,
                        doc=cite.source,
                        node=cite.node,
                        citation=cite.text,
                        value=value_text(value.value),
                        note=value.note,
                        draft=pack.draft or cite.draft,
                    )
                )
    return [
        ParameterComparison(name, labels[name], _unique(values)) for name, values in found.items()
    ]


def _unique(values: list[ParameterValue]) -> tuple[ParameterValue, ...]:
    seen: dict[tuple[str, str, str], ParameterValue] = {}
    for v in values:
        seen.setdefault((v.pack, v.doc, v.value), v)
    return tuple(seen.values())


def compare_for(correspondence: Correspondence) -> list[ParameterComparison]:
    """The parameters of a :class:`~huiqi.law.compare.corresponding.Correspondence`: those
    its matched provisions (and the article it started from) set."""
    provisions = [(m.doc, m.node) for m in correspondence.matches]
    if correspondence.source is not None:
        provisions.insert(0, (correspondence.source.doc, correspondence.source.node))
    return compare_parameters(provisions)
