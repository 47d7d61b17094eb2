"""The bundled regulation library: the corpus texts shipped as package data, described by
``corpus/manifest.yaml`` and parsed on first use.

长春 条例 第三十五条 asks the platform to publish, classify and search laws and policies;
this is the collection it publishes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from importlib import resources

import yaml

from .errors import UnknownDocument
from .model import Comparison, Document
from .parse import parse_bytes

STAGES = ("征求意见稿", "修订草案", "二次审议稿", "通过", "修订")
TYPES = ("法律", "行政法规", "地方性法规", "经济特区法规")


@dataclass(frozen=True)
class Jurisdiction:
    """An administrative division by its 行政区划代码 (``cn`` for national texts)."""

    code: str
    name: str


@dataclass(frozen=True)
class Entry:
    """One document of the library as the manifest describes it."""

    id: str
    work: str
    title: str
    short: str
    jurisdiction: Jurisdiction
    type: str
    stage: str
    dates: dict[str, date]
    file: str
    origin: str
    part: int | None = None
    version_of: str | None = None
    issuer: str | None = None
    number: str | None = None
    note: str | None = None

    @property
    def version_date(self) -> date | None:
        """The date that names this version: promulgated, adopted, revised, effective…"""
        for kind in ("revised", "promulgated", "adopted", "effective", "prepared"):
            if kind in self.dates:
                return self.dates[kind]
        return None

    @property
    def display_title(self) -> str:
        """The title with the stage for drafts: 深圳经济特区…条例（征求意见稿）."""
        return self.title if self.stage in ("通过", "修订") else f"{self.title}（{self.stage}）"


@dataclass
class Library:
    entries: list[Entry]
    _docs: dict[str, Document] = field(default_factory=dict, repr=False)

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    def get(self, doc_id: str) -> Entry:
        """An entry by id, or by a prefix that names exactly one document."""
        if doc_id in self._by_id:
            return self._by_id[doc_id]
        matches = [e for e in self.entries if e.id.startswith(doc_id)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = "、".join(e.id for e in matches)
            raise UnknownDocument(f"“{doc_id}”对应多个文件：{ids}；请写出完整的编号")
        known = "、".join(e.id for e in self.entries)
        raise UnknownDocument(f"法规库中没有编号为“{doc_id}”的文件。现有：{known}")

    def document(self, doc_id: str) -> Document:
        """The parsed text of a document (parsed once, then kept)."""
        entry = self.get(doc_id)
        if entry.id not in self._docs:
            self._docs[entry.id] = _parse_entry(entry)
        return self._docs[entry.id]

    def documents(self) -> list[tuple[Entry, Document]]:
        return [(e, self.document(e.id)) for e in self.entries]

    def versions(self, work: str) -> list[Entry]:
        """The versions of one work, earliest first (following ``version_of``)."""
        return [e for e in self.entries if e.work == work]

    def later_versions(self, doc_id: str) -> list[Entry]:
        return [e for e in self.entries if e.version_of == doc_id]


def _parse_entry(entry: Entry) -> Document:
    data = resources.files("huiqi.law").joinpath("corpus", entry.file).read_bytes()
    parsed = parse_bytes(data, source=entry.file)
    doc = parsed.versions[(entry.part or 1) - 1] if isinstance(parsed, Comparison) else parsed
    if doc.title is None or entry.part:
        doc.title = entry.title
    return doc


def _entry(raw: dict, jurisdictions: dict[str, str]) -> Entry:
    code = str(raw["jurisdiction"])
    return Entry(
        id=raw["id"],
        work=raw["work"],
        title=raw["title"],
        short=raw["short"],
        jurisdiction=Jurisdiction(code, jurisdictions[code]),
        type=raw["type"],
        stage=raw["stage"],
        dates=dict(raw.get("dates") or {}),
        file=raw["file"],
        origin=raw["origin"],
        part=raw.get("part"),
        version_of=raw.get("version_of"),
        issuer=raw.get("issuer"),
        number=raw.get("number"),
        note=raw.get("note"),
    )


def load_manifest() -> Library:
    raw = yaml.safe_load(
        resources.files("huiqi.law").joinpath("corpus", "manifest.yaml").read_text("utf-8")
    )
    jurisdictions = {str(k): v for k, v in raw["jurisdictions"].items()}
    return Library([_entry(d, jurisdictions) for d in raw["documents"]])


@cache
def bundled() -> Library:
    """The library shipped with huiqi (one instance per process)."""
    return load_manifest()
