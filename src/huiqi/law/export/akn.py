"""Akoma Ntoso 3.0 XML for one document (a 修改对照稿 is exported one version at a time).

* ``eId`` values come from our node ids: ``/`` becomes ``__`` and a 项 or 目 becomes a
  ``point`` inside a ``list`` (``art_12/para_1/item_3`` → ``art_12__para_1__list_1__point_3``).
  Divisions keep their path (``part_1__chp_2``); articles are not prefixed with their chapter,
  as in our ids.
* FRBR identity: country ``cn`` or ``cn-<行政区划代码>``; the work is named by the manifest's
  work id without the jurisdiction (``/akn/cn-220100/act/local-regulation/2024-12-26/
  sme-promotion``) and dated by the earliest date the manifest records; the expression adds
  ``zho@<version date>``. A text with no known date gets ``9999-12-31`` named ``unknown``
  (AKN requires a date) and an expression ``zho@``.
* Editorial notes of a 修改对照稿 go to ``<meta><notes>`` as ``note_1``, ``note_2`` …, each
  pointed to by a ``<noteRef>`` at the end of the text of the provision it annotates (in the
  ``<num>`` of an article that has no text of its own), so the provision's text stays clean.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from lxml import etree

from ..library import Entry
from ..model import Document, Kind, Node
from ._common import display_title, version_date

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
UNKNOWN_DATE = "9999-12-31"
_SUBTYPES = {
    "法律": "law",
    "行政法规": "administrative-regulation",
    "地方性法规": "local-regulation",
    "经济特区法规": "sez-regulation",
}
_ELEMENTS = {
    Kind.PART: "part",
    Kind.CHAPTER: "chapter",
    Kind.SECTION: "section",
    Kind.ARTICLE: "article",
    Kind.PARAGRAPH: "paragraph",
    Kind.ITEM: "point",
    Kind.SUBITEM: "point",
}


def eid(node_id: str) -> str:
    """The AKN ``eId`` of a node: ``art_12/para_1/item_3`` → ``art_12__para_1__list_1__point_3``."""
    out: list[str] = []
    for seg in node_id.split("/"):
        kind, _, rest = seg.partition("_")
        out.extend(["list_1", f"point_{rest}"] if kind in ("item", "sub") else [seg])
    return "__".join(out)


def document_to_akn(doc: Document, entry: Entry | None = None) -> bytes:
    """The document as an ``<akomaNtoso>`` file, UTF-8 with an XML declaration."""
    root = etree.Element(_q("akomaNtoso"), nsmap={None: AKN_NS})
    subtype = _SUBTYPES.get(entry.type) if entry is not None else None
    act = _sub(root, "act", name=subtype or "act")
    notes = _Notes(doc)
    _meta(act, doc, entry, subtype)
    _preface(act, doc, entry)
    body = _sub(act, "body")
    for node in doc.body:
        _hier(body, node, notes)
    notes.write(act.find(_q("meta")))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _q(tag: str) -> str:
    return f"{{{AKN_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), attrs)
    if text is not None:
        element.text = text
    return element


class _Notes:
    """The editorial notes, numbered in document order, and the provisions they annotate."""

    def __init__(self, doc: Document) -> None:
        self.notes = [note for node in doc.walk() for note in node.notes]
        self.by_node: dict[str, list[int]] = {}
        for number, note in enumerate(self.notes, start=1):
            self.by_node.setdefault(note.node, []).append(number)

    def annotated(self, node: Node) -> bool:
        return node.id in self.by_node

    def refer(self, node: Node, anchor: etree._Element) -> None:
        for number in self.by_node.get(node.id, []):
            _sub(anchor, "noteRef", href=f"#note_{number}", marker=str(number))

    def write(self, meta: etree._Element) -> None:
        if not self.notes:
            return
        container = _sub(meta, "notes", source="#huiqi")
        for number, note in enumerate(self.notes, start=1):
            _sub(
                _sub(container, "note", eId=f"note_{number}", **{"class": note.kind}),
                "p",
                note.text,
            )


def _meta(act: etree._Element, doc: Document, entry: Entry | None, subtype: str | None) -> None:
    country = "cn"
    if entry is not None and entry.jurisdiction.code != "cn":
        country = f"cn-{entry.jurisdiction.code}"
    named = version_date(doc, entry)
    expr_name, expr_date = (named[0], named[1].isoformat()) if named else ("unknown", UNKNOWN_DATE)
    if entry is not None and entry.dates:
        kind, first = min(entry.dates.items(), key=lambda kv: kv[1])
        work_name, work_date = kind, first.isoformat()
    else:
        work_name, work_date = expr_name, expr_date
    work_uri = "/".join(
        ["/akn", country, "act", *([subtype] if subtype else []), work_date, _number(doc, entry)]
    )
    expr_uri = f"{work_uri}/zho@{expr_date if named else ''}"
    title = display_title(doc, entry)
    author = "#issuer" if entry is not None and entry.issuer else ""

    meta = _sub(act, "meta")
    ident = _sub(meta, "identification", source="#huiqi")
    work = _sub(ident, "FRBRWork")
    _sub(work, "FRBRthis", value=f"{work_uri}/!main")
    _sub(work, "FRBRuri", value=work_uri)
    if title:
        _sub(work, "FRBRalias", value=title, name="title")
    _sub(work, "FRBRdate", date=work_date, name=work_name)
    _sub(work, "FRBRauthor", href=author)
    _sub(work, "FRBRcountry", value=country)
    if subtype:
        _sub(work, "FRBRsubtype", value=subtype)
    expr = _sub(ident, "FRBRExpression")
    _sub(expr, "FRBRthis", value=f"{expr_uri}/!main")
    _sub(expr, "FRBRuri", value=expr_uri)
    _sub(expr, "FRBRdate", date=expr_date, name=expr_name)
    _sub(expr, "FRBRauthor", href="#huiqi")
    _sub(expr, "FRBRlanguage", language="zho")
    manif = _sub(ident, "FRBRManifestation")
    _sub(manif, "FRBRthis", value=f"{expr_uri}/!main.xml")
    _sub(manif, "FRBRuri", value=f"{expr_uri}.akn")
    _sub(manif, "FRBRdate", date=expr_date, name=expr_name)
    _sub(manif, "FRBRauthor", href="#huiqi")

    refs = _sub(meta, "references", source="#huiqi")
    _sub(refs, "TLCOrganization", eId="huiqi", href="/ontology/organization/huiqi", showAs="huiqi")
    if entry is not None and entry.issuer:
        href = f"/ontology/organization/{country}/{entry.issuer}"
        _sub(refs, "TLCOrganization", eId="issuer", href=href, showAs=entry.issuer)


def _number(doc: Document, entry: Entry | None) -> str:
    """The work's name in its URI: the manifest's work id without the jurisdiction, else the
    source file's name."""
    if entry is not None:
        prefix = f"{entry.jurisdiction.code}-"
        return entry.work.removeprefix(prefix)
    stem = PurePath(doc.source).stem if doc.source else ""
    return re.sub(r"[^\w-]+", "-", stem).strip("-") or "document"


def _preface(act: etree._Element, doc: Document, entry: Entry | None) -> None:
    title = display_title(doc, entry)
    if not title and not doc.stage_note:
        return
    preface = _sub(act, "preface")
    if title:  # an empty text keeps pretty-printing from adding whitespace inside <p>
        _sub(_sub(preface, "p", "", **{"class": "title"}), "docTitle", title)
    if doc.stage_note:
        _sub(_sub(preface, "p", "", **{"class": "stage"}), "docStage", doc.stage_note)
    for line in doc.header:
        if line != title and not (doc.stage_note and doc.stage_note in line):
            _sub(preface, "p", line, **{"class": "header"})


def _hier(parent: etree._Element, node: Node, notes: _Notes) -> None:
    element = _sub(parent, _ELEMENTS[node.kind], eId=eid(node.id))
    if node.kind is Kind.PARAGRAPH:
        _provision(element, node, notes)
        return
    num = _sub(element, "num", node.label)
    if node.heading:
        _sub(element, "heading", node.heading)
    if node.kind in (Kind.ITEM, Kind.SUBITEM):
        _provision(element, node, notes)
        return
    if node.kind is Kind.ARTICLE:
        notes.refer(node, num)
        if not node.children:
            _sub(_sub(element, "content"), "p")
    for child in node.children:
        _hier(element, child, notes)


def _provision(element: etree._Element, node: Node, notes: _Notes) -> None:
    """A 款, 项 or 目: its text as ``content``, or as the ``intro`` of a list of its 项/目."""
    below = [c for c in node.children if c.kind in (Kind.ITEM, Kind.SUBITEM)]
    if not below:
        p = _sub(_sub(element, "content"), "p", node.text)
        notes.refer(node, p)
        return
    lst = _sub(element, "list", eId=f"{eid(node.id)}__list_1")
    if node.text or notes.annotated(node):
        p = _sub(_sub(lst, "intro"), "p", node.text)
        notes.refer(node, p)
    for child in below:
        _hier(lst, child, notes)
