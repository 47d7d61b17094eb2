"""Loading the regulation library into the platform's database (长春 条例 第三十五条: the
platform publishes, classifies and searches laws and policies).

:func:`load_library` is the one operation that writes the library's tables: one transaction,
a document replaced whole when its content changed, left alone when it did not, and an audit
entry per document created, replaced or removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from huiqi.audit import services as audit
from huiqi.audit.models import Action, AuditEntry
from huiqi.law import Document, Entry, Library, Node, bundled, node_path_label, render
from huiqi.law.export.json import document_to_dict
from huiqi.law.model import DIVISION_KINDS, Kind
from huiqi.law.search import INDEX_FORMAT, document_rows
from huiqi.law.tokens import segmenter_version
from huiqi.rules.errors import UnknownJurisdiction
from huiqi.rules.jurisdictions import NATIONAL, lineage

from .models import LawDocument, Provision, Status
from .search import DatabaseBackend

LOAD_FORMAT = 1
"""Bump when the rows made from a document change: every document is then reloaded."""

DRAFT_STAGES = ("征求意见稿", "修订草案", "二次审议稿")
_AUDITED = ("title", "stage", "status", "latest", "articles", "content_hash")


@dataclass(frozen=True)
class LoadResult:
    """What a load did: documents created, replaced, unchanged and removed, and what the
    library holds afterwards."""

    created: int
    updated: int
    unchanged: int
    removed: int
    documents: int
    provisions: int
    articles: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        return (
            f"法规库：新增 {self.created} 个文件，更新 {self.updated} 个，未变 {self.unchanged} 个，"
            f"删除 {self.removed} 个；现有 {self.documents} 个文件、{self.provisions} 个条款节点、"
            f"{self.articles} 条（均已编入检索索引）"
        )


def load_bundled(*, actor: Any = None, force: bool = False) -> LoadResult:
    """Load the library shipped with huiqi (:func:`huiqi.law.bundled`)."""
    return load_library(bundled(), actor=actor, force=force)


@transaction.atomic
def load_library(library: Library, *, actor: Any = None, force: bool = False) -> LoadResult:
    """Make the database hold exactly ``library``: its documents, every node of their text,
    and the search tokens of their articles. A document whose content hash is unchanged is
    left alone (unless ``force``), so a second load changes nothing; a changed one has its
    rows replaced; a document no longer in the library is removed."""
    existing = {d.id: d for d in LawDocument.objects.all()}
    created = updated = unchanged = 0
    entries: list[AuditEntry] = []
    backend = DatabaseBackend()
    for position, (entry, document) in enumerate(library.documents()):
        latest = not library.later_versions(entry.id)
        export = document_to_dict(document, entry)
        fields = _document_fields(entry, position, latest, export)
        row = existing.pop(entry.id, None)
        if row is not None and row.content_hash == fields["content_hash"] and not force:
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
            unchanged += 1
            continue
        before = audit.snapshot(row, _AUDITED) if row is not None else None
        if row is None:
            row = LawDocument(id=entry.id, **fields)
            created += 1
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            row.provisions.all().delete()
            updated += 1
        row.save()
        Provision.objects.bulk_create(_provisions(row, document))
        backend.add(document_rows(entry, document, latest))
        after = audit.snapshot(row, _AUDITED)
        entries.append(
            audit.entry(
                actor, Action.CREATE if before is None else Action.UPDATE, row, before, after
            )
        )
    for gone in existing.values():
        entries.append(
            audit.entry(actor, Action.DELETE, gone, audit.snapshot(gone, _AUDITED), None)
        )
        gone.delete()
    if entries:
        audit.record(entries)
    return LoadResult(
        created=created,
        updated=updated,
        unchanged=unchanged,
        removed=len(existing),
        documents=LawDocument.objects.count(),
        provisions=Provision.objects.count(),
        articles=Provision.objects.filter(kind=Kind.ARTICLE.value).count(),
    )


def status_of(entry: Entry, latest: bool) -> Status:
    """草案 for a draft; 现行有效 for an adopted text the library holds no later version of;
    已被修订 for an adopted text it does (the 2020 款项支付条例)."""
    if entry.stage in DRAFT_STAGES:
        return Status.DRAFT
    return Status.CURRENT if latest else Status.SUPERSEDED


def jurisdiction_full_name(code: str, name: str) -> str:
    """The division with the ones above it: 吉林省长春市, 湖南省; 全国 for national texts.
    ``name`` (the manifest's) when the division is not declared in huiqi.rules."""
    try:
        chain = lineage(code)
    except UnknownJurisdiction:
        return name
    names = [j.name for j in reversed(chain) if j.code != NATIONAL]
    return "".join(names) or chain[0].name


def _document_fields(
    entry: Entry, position: int, latest: bool, export: dict[str, Any]
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "position": position,
        "work": entry.work,
        "title": entry.title,
        "display_title": entry.display_title,
        "short": entry.short,
        "jurisdiction": entry.jurisdiction.code,
        "jurisdiction_name": entry.jurisdiction.name,
        "jurisdiction_full_name": jurisdiction_full_name(
            entry.jurisdiction.code, entry.jurisdiction.name
        ),
        "type": entry.type,
        "stage": entry.stage,
        "status": status_of(entry, latest).value,
        "latest": latest,
        "dates": {kind: on.isoformat() for kind, on in entry.dates.items()},
        "version_date": entry.version_date,
        "version_of_id": entry.version_of,
        "issuer": entry.issuer or "",
        "number": entry.number or "",
        "note": entry.note or "",
        "export": export,
        "articles": len(export["articles"]),
    }
    hashed = {
        "format": [LOAD_FORMAT, INDEX_FORMAT, segmenter_version()],
        **{k: v for k, v in fields.items() if k != "position"},
        "version_date": entry.version_date.isoformat() if entry.version_date else None,
    }
    encoded = json.dumps(hashed, ensure_ascii=False, sort_keys=True).encode()
    fields["content_hash"] = hashlib.sha256(encoded).hexdigest()
    return fields


def _provisions(row: LawDocument, document: Document) -> list[Provision]:
    out: list[Provision] = []

    def visit(
        nodes: list[Node], parent: Node | None, divisions: tuple[Node, ...], article: Node | None
    ) -> None:
        for node in nodes:
            inner = (*divisions, node) if node.kind in DIVISION_KINDS else divisions
            art = node if node.kind is Kind.ARTICLE else article
            out.append(
                Provision(
                    doc=row,
                    node=node.id,
                    kind=node.kind.value,
                    num=node.num,
                    suffix=node.suffix,
                    label=node.label,
                    path_label=node_path_label(node.id),
                    heading=node.heading or "",
                    text=node.text,
                    full_text=node.full_text(),
                    citation=render(row.display_title, node.id),
                    division="　".join(f"{d.label} {d.heading or ''}".strip() for d in divisions),
                    article=art.id if art is not None else "",
                    parent=parent.id if parent is not None else "",
                    depth=len(divisions) if node.kind in DIVISION_KINDS else _depth(node, art),
                    order=len(out),
                )
            )
            visit(node.children, node, inner, art)

    visit(document.body, None, (), None)
    return out


def _depth(node: Node, article: Node | None) -> int:
    """0 for an article, 1 for its paragraphs, 2 for items, 3 for sub-items."""
    return 0 if article is None else node.id.count("/") - article.id.count("/")
