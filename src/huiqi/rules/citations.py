"""Citations of the rules: every parameter and every result names the provision it comes from.

A citation points either to a node of a document in the bundled regulation library
(:func:`huiqi.law.bundled`), to a declared instrument whose text is not bundled (文号, issuer,
date, provision — ``data/instruments.yaml``), to a department's service commitment (declared in
the same file, never law), or to the 国务院办公厅 notice behind a year's working days
(declared by :mod:`huiqi.rules.calendar`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml

from huiqi.law import bundled
from huiqi.law.citations import node_path_label, render
from huiqi.law.errors import LawError
from huiqi.law.library import Entry

from .calendar import HolidayNotice, Provision
from .errors import PackError, UnknownCitation

_IN_FORCE_STAGES = ("通过", "修订")


class CitationKind(StrEnum):
    LAW = "law"
    """A provision of a document in the bundled regulation library."""
    INSTRUMENT = "instrument"
    """A provision of a normative document declared in ``data/instruments.yaml``."""
    COMMITMENT = "commitment"
    """A department's published service commitment: configuration, not law."""
    NOTICE = "notice"
    """The 国务院办公厅 notice that fixes a year's holidays and make-up working days."""


@dataclass(frozen=True)
class Citation:
    """Where a rule or a value comes from, resolved and rendered:
    《长春市促进中小企业发展条例》第四十三条."""

    kind: CitationKind
    source: str
    """The bundled document id, the instrument id, or ``holiday-notice-<year>``."""
    node: str | None
    """The node id (``art_43``, ``art_9/para_1``) or the instrument's provision key."""
    text: str
    version: date | None
    """The version date of the document, or the instrument's date."""
    draft: bool = False
    """The source is a draft, not in force."""

    @property
    def is_law(self) -> bool:
        return self.kind in (CitationKind.LAW, CitationKind.INSTRUMENT) and not self.draft

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "kind": self.kind.value,
            "source": self.source,
            "node": self.node,
            "version": self.version.isoformat() if self.version else None,
            "draft": self.draft,
        }


@dataclass(frozen=True)
class Instrument:
    """A normative document or service commitment cited without its text being bundled."""

    id: str
    kind: CitationKind
    title: str
    issuer: str
    provisions: Mapping[str, str]
    number: str | None = None
    date: date | None = None
    effective: date | None = None
    configured: bool = True
    """For a commitment: False while it is the default awaiting the department's own."""

    @property
    def heading(self) -> str:
        """《中小企业划型标准规定》（工信部联企业〔2011〕300号）, or the commitment's name."""
        if self.kind is CitationKind.COMMITMENT:
            state = "服务承诺，非法定期限" + ("" if self.configured else "；默认值，待主管部门配置")
            return f"{self.issuer}：{self.title}（{state}）"
        return f"《{self.title}》" + (f"（{self.number}）" if self.number else "")


def cite(source: str, node: str | None = None) -> Citation:
    """Resolve ``source`` (a bundled document id or a declared instrument id) and ``node``
    to a citation; an unknown document, node or provision is an :class:`UnknownCitation`."""
    instrument = instruments().get(source)
    if instrument is not None:
        return _cite_instrument(instrument, node)
    return _cite_law(source, node)


def cite_provision(provision: Provision) -> Citation:
    """The citation of a provision named by :mod:`huiqi.rules.calendar`."""
    return cite(provision.document_id, provision.node_id)


def cite_notice(notice: HolidayNotice) -> Citation:
    """The citation of the 国务院办公厅 notice behind one year's working days."""
    return Citation(
        kind=CitationKind.NOTICE,
        source=f"holiday-notice-{notice.year}",
        node=None,
        text=notice.text,
        version=notice.published,
    )


@cache
def _cite_law(doc_id: str, node: str | None) -> Citation:
    library = bundled()
    try:
        entry = library.get(doc_id)
    except LawError:
        raise UnknownCitation(
            f"引用了未收录的文件“{doc_id}”：既不在法规库中，也未在 instruments.yaml 中声明"
        ) from None
    if entry.id != doc_id:
        raise UnknownCitation(f"引用文件须写完整编号：“{doc_id}”应为“{entry.id}”")
    if node is not None and library.document(doc_id).find(node) is None:
        raise UnknownCitation(f"《{entry.display_title}》中没有节点“{node}”")
    return Citation(
        kind=CitationKind.LAW,
        source=doc_id,
        node=node,
        text=_heading(entry) + (node_path_label(node) if node else ""),
        version=entry.version_date,
        draft=entry.stage not in _IN_FORCE_STAGES,
    )


def _heading(entry: Entry) -> str:
    """《title》, with the version year when the library holds several adopted versions:
    《保障中小企业款项支付条例》（2025年版）."""
    adopted = [e for e in bundled().versions(entry.work) if e.stage in _IN_FORCE_STAGES]
    if entry.stage in _IN_FORCE_STAGES and len(adopted) > 1 and entry.version_date:
        return render(entry.title) + f"（{entry.version_date.year}年版）"
    return render(entry.display_title)


def _cite_instrument(instrument: Instrument, node: str | None) -> Citation:
    if node is not None and node not in instrument.provisions:
        raise UnknownCitation(f"{instrument.heading}没有声明条款“{node}”（见 instruments.yaml）")
    return Citation(
        kind=instrument.kind,
        source=instrument.id,
        node=node,
        text=instrument.heading + (instrument.provisions[node] if node else ""),
        version=instrument.date,
    )


@cache
def instruments() -> Mapping[str, Instrument]:
    """The instruments and commitments declared in ``data/instruments.yaml``, by id."""
    path = "huiqi/rules/data/instruments.yaml"
    raw = yaml.safe_load(
        resources.files("huiqi.rules").joinpath("data", "instruments.yaml").read_text("utf-8")
    )
    out: dict[str, Instrument] = {}
    for item in raw["instruments"]:
        try:
            instrument = Instrument(
                id=item["id"],
                kind=CitationKind(item["kind"]),
                title=item["title"],
                issuer=item["issuer"],
                provisions=MappingProxyType(dict(item.get("provisions") or {})),
                number=item.get("number"),
                date=item.get("date"),
                effective=item.get("effective"),
                configured=item.get("configured", True),
            )
        except (KeyError, ValueError) as exc:
            raise PackError(f"{path}：条目 {item.get('id', '?')} 缺少或写错了 {exc}") from None
        if instrument.kind is CitationKind.INSTRUMENT and not (
            instrument.number and instrument.date
        ):
            raise PackError(
                f"{path}：规范性文件 {instrument.id} 须写明文号（number）和日期（date）"
            )
        if instrument.id in out:
            raise PackError(f"{path}：编号 {instrument.id} 重复")
        out[instrument.id] = instrument
    return MappingProxyType(out)
