"""Reads of the library's tables that the pages and the API share."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from .models import LawDocument, NodeKind, Provision, Status

STATUS_ORDER = (Status.CURRENT, Status.DRAFT, Status.SUPERSEDED)


@dataclass
class StatusGroup:
    status: Status
    documents: list[LawDocument]


@dataclass
class JurisdictionGroup:
    code: str
    name: str
    statuses: list[StatusGroup] = field(default_factory=list)


@dataclass
class Block:
    """A division heading, or an article with the 款/项/目 under it, in document order."""

    provision: Provision
    parts: list[Provision] = field(default_factory=list)


@dataclass
class VersionLink:
    """Another version of the work and the provision with the same number in it (None when
    that version has no such article)."""

    doc: LawDocument
    provision: Provision | None
    current: bool


def find_document(doc_id: str, *, with_export: bool = False) -> LawDocument | None:
    """The document with this exact id; its JSON export is read only when asked for."""
    found = LawDocument.objects.filter(id=doc_id)
    return (found if with_export else found.defer("export")).first()


def find_provision(doc: LawDocument, node: str) -> Provision | None:
    return doc.provisions.filter(node=node).first()


def provision_and_below(provision: Provision) -> list[Provision]:
    """The provision and every node under it, in document order."""
    below = Q(node=provision.node) | Q(node__startswith=f"{provision.node}/")
    return list(provision.doc.provisions.filter(below))


def by_jurisdiction(documents: list[LawDocument]) -> list[JurisdictionGroup]:
    """Documents grouped by jurisdiction (in library order: 全国 first), then by status
    (现行有效, 草案, 已被修订), empty groups left out."""
    groups: dict[str, JurisdictionGroup] = {}
    for doc in documents:
        groups.setdefault(
            doc.jurisdiction, JurisdictionGroup(doc.jurisdiction, doc.jurisdiction_full_name)
        )
    for group in groups.values():
        for status in STATUS_ORDER:
            docs = [d for d in documents if d.jurisdiction == group.code and d.status == status]
            if docs:
                group.statuses.append(StatusGroup(status, docs))
    return list(groups.values())


def document_blocks(provisions: list[Provision]) -> list[Block]:
    blocks: list[Block] = []
    for p in provisions:
        if p.is_division or p.kind == NodeKind.ARTICLE or not blocks:
            blocks.append(Block(p))
        else:
            blocks[-1].parts.append(p)
    return blocks


def same_provision_in_versions(
    versions: list[LawDocument], doc: LawDocument, provision: Provision
) -> list[VersionLink]:
    """For each version of the work, the provision with the same node id, else its article
    (e.g. 长春 草案 and 2025 text: 第四十三条 in each)."""
    wanted = {provision.node, provision.article or provision.node}
    found: dict[tuple[str, str], Provision] = {
        (p.doc_id, p.node): p
        for p in Provision.objects.filter(doc__in=[v.id for v in versions], node__in=wanted)
    }
    links = []
    for version in versions:
        same = found.get((version.id, provision.node)) or found.get(
            (version.id, provision.article or provision.node)
        )
        links.append(VersionLink(version, same, version.id == doc.id))
    return links
