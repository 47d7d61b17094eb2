"""Comparison pages of the regulation library: the 修改对照稿 of two versions (or any two
documents), with Word / Markdown / HTML downloads, and the corresponding provisions of other
jurisdictions on a topic or for an article, with the rules packs' parameters side by side.
The texts are the bundled ones (:func:`huiqi.law.bundled`), the documents those the
library's tables hold."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from huiqi.errors import UserError
from huiqi.law import bundled
from huiqi.law.compare import (
    Relation,
    Sheet,
    align,
    build_sheet,
    sheet_table,
    sheet_to_docx,
    sheet_to_html,
    sheet_to_markdown,
)
from huiqi.law.compare.corresponding import THRESHOLD, corresponding
from huiqi.rules.compare_parameters import compare_for

from .models import LawDocument

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOWNLOADS = {
    "docx": (DOCX, sheet_to_docx),
    "md": ("text/markdown; charset=utf-8", sheet_to_markdown),
    "html": ("text/html; charset=utf-8", sheet_to_html),
}
RELATION_NAMES = {
    Relation.SAME: "未改",
    Relation.MODIFIED: "修改",
    Relation.RENUMBERED: "重新编号",
    Relation.MOVED: "移动",
    Relation.SPLIT: "拆分",
    Relation.MERGED: "合并",
    Relation.ADDED: "增加",
    Relation.DELETED: "删去",
}


@lru_cache(maxsize=32)
def _sheet(old_id: str, new_id: str) -> Sheet:
    lib = bundled()
    old, new = lib.get(old_id), lib.get(new_id)
    alignment = align(lib.document(old.id), lib.document(new.id))
    return build_sheet(
        alignment,
        (old.display_title, new.display_title),
        title=f"{new.display_title}修改对照稿",
    )


def _choice(request: HttpRequest) -> tuple[LawDocument | None, LawDocument | None, str | None]:
    """The two documents of ``?old=&new=``; a missing ``new`` is the version after ``old``."""
    old_id = request.GET.get("old", "").strip()
    new_id = request.GET.get("new", "").strip()
    docs = {d.id: d for d in LawDocument.objects.defer("export")}
    if not old_id and not new_id:
        return None, None, None
    for given in (old_id, new_id):
        if given and given not in docs:
            return None, None, f"法规库中没有编号为“{given}”的文件。"
    old = docs.get(old_id)
    if old is None:
        return None, None, "请选择原版本。"
    if not new_id:
        later = [d for d in docs.values() if d.version_of_id == old.id]
        if not later:
            return old, None, f"{old.display_title}在法规库中没有更晚的版本，请选择要比较的文件。"
        new_id = later[0].id
    if new_id == old.id:
        return old, docs[new_id], "请选择两个不同的文件。"
    return old, docs[new_id], None


def compare(request: HttpRequest) -> HttpResponse:
    """Two documents side by side: 阴影部分为删去或者移动，黑体部分为增加."""
    old, new, error = _choice(request)
    context: dict[str, object] = {
        "documents": list(LawDocument.objects.defer("export").order_by("position")),
        "old": old,
        "new": new,
        "error": error,
    }
    status = 404 if error and error.startswith("法规库中没有") else 200
    if old is not None and new is not None and error is None:
        sheet = _sheet(old.id, new.id)
        counts: dict[str, int] = {}
        for row in sheet.rows:
            name = RELATION_NAMES[row.relation]
            counts[name] = counts.get(name, 0) + 1
        context.update(
            sheet=sheet, table=mark_safe(sheet_table(sheet)), counts=sorted(counts.items())
        )
    return render(request, "library/compare.html", context, status=status)


def compare_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The 对照稿 as a file: ``docx``, ``md`` or ``html``."""
    old, new, error = _choice(request)
    if fmt not in DOWNLOADS or old is None or new is None or error is not None:
        message = error or f"不支持的格式“{fmt}”：可选 docx、md、html。"
        return render(request, "library/not_found.html", {"message": message}, status=404)
    content_type, writer = DOWNLOADS[fmt]
    body = writer(_sheet(old.id, new.id))
    response = HttpResponse(body, content_type=content_type)
    name = f"{new.id}-修改对照稿.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def corresponding_view(request: HttpRequest) -> HttpResponse:
    """A topic (投诉处理) or an article (文件编号#43) → the corresponding provisions of the
    other documents, best first, and the parameters those provisions set, per jurisdiction."""
    query = request.GET.get("q", "").strip()
    context: dict[str, object] = {"query": query, "threshold": THRESHOLD}
    raw = request.GET.get("threshold", "").strip()
    if raw:
        try:
            threshold = float(raw)
        except ValueError:
            threshold = -1.0
        if not 0 <= threshold <= 1:
            context["error"] = f"最低相似度须在 0 与 1 之间，而不是“{raw}”。"
            return render(request, "library/corresponding.html", context, status=400)
        context["threshold"] = threshold
    if query:
        try:
            result = corresponding(query, threshold=float(context["threshold"]))  # type: ignore[arg-type]
        except UserError as exc:
            context["error"] = str(exc)
            return render(request, "library/corresponding.html", context, status=404)
        context.update(result=result, parameters=compare_for(result))
    return render(request, "library/corresponding.html", context)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
