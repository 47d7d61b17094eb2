"""The register of obligations: who must, must not, may or is encouraged to do what, by when,
under which provision — read from the text by rules (see :mod:`.extract`, docs/obligations.md).

长春 条例 第六章 and 湖南 办法 第三十四、三十五条 ask supervisors to know who must do what;
this is that list, per document and per duty-bearer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from huiqi.law.errors import UnknownDocument
from huiqi.law.library import bundled
from huiqi.law.model import Comparison, Document
from huiqi.law.parse import parse_file

from .bearers import Bearer, parse_bearer
from .extract import MODALITY_BY_LABEL, Modality, Obligation, extract
from .limits import TimeLimit, find_time_limit

UNNAMED = "（未指明）"

__all__ = [
    "MODALITY_BY_LABEL",
    "UNNAMED",
    "Bearer",
    "Modality",
    "Obligation",
    "Register",
    "TimeLimit",
    "build_register",
    "extract",
    "find_time_limit",
    "parse_bearer",
    "register_for",
]


@dataclass(frozen=True)
class Register:
    """The duties of one document, in the order of its text."""

    doc_id: str | None
    title: str | None
    obligations: tuple[Obligation, ...]

    def by_bearer(self) -> dict[str, list[Obligation]]:
        """Duties grouped by the parties their bearers name (机关、事业单位和大型企业 counts for
        机关, 事业单位 and 大型企业), parties in order of first appearance; duties naming no
        one under （未指明）."""
        groups: dict[str, list[Obligation]] = defaultdict(list)
        for ob in self.obligations:
            for part in ob.bearer.parts if ob.bearer else (UNNAMED,):
                groups[part].append(ob)
        return dict(groups)

    def bearers(self) -> list[str]:
        return list(self.by_bearer())

    def select(
        self, *, bearer: str | None = None, modality: Modality | str | None = None
    ) -> list[Obligation]:
        """The duties of one party (a part, as in :meth:`by_bearer`) and/or one modality."""
        wanted = Modality(modality) if modality else None
        out = []
        for ob in self.obligations:
            parts = ob.bearer.parts if ob.bearer else (UNNAMED,)
            if bearer and bearer not in parts:
                continue
            if wanted and ob.modality is not wanted:
                continue
            out.append(ob)
        return out


def build_register(
    doc: Document, *, doc_id: str | None = None, title: str | None = None
) -> Register:
    title = title if title is not None else doc.title
    return Register(doc_id, title, tuple(extract(doc, doc_id=doc_id, title=title)))


def register_for(ref: str) -> Register:
    """The register of a bundled document (id or unique prefix) or of a file the parser
    reads; for a 修改对照稿 file, ``FILE#1`` or ``FILE#2`` picks the column."""
    path_part, _, column = ref.partition("#")
    path = Path(path_part)
    if path.is_file():
        parsed = parse_file(path)
        if isinstance(parsed, Comparison):
            if column not in ("1", "2"):
                left, right = parsed.labels
                raise UnknownDocument(
                    f"{path}是修改对照稿，请写 {path}#1（{left}）或 {path}#2（{right}）选择一栏"
                )
            parsed = parsed.versions[int(column) - 1]
        return build_register(parsed, doc_id=None, title=parsed.title)
    lib = bundled()
    try:
        entry = lib.get(ref)
    except UnknownDocument as exc:
        raise UnknownDocument(
            f"“{ref}”既不是可读取的文件，也不是法规库中的文件编号。{exc}"
        ) from exc
    return build_register(lib.document(entry.id), doc_id=entry.id, title=entry.display_title)
