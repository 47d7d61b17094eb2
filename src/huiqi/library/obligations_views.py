"""The register of obligations of a library document: who must, must not, may or is
encouraged to do what, by when (长春 条例 第六章: supervisors need to know who must do what),
filtered by party and modality, with CSV and Excel downloads. The register is read from the
bundled text by :mod:`huiqi.law.obligations`."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huiqi.law import bundled
from huiqi.law.errors import UnknownDocument
from huiqi.law.obligations import UNNAMED, Modality, Register, build_register
from huiqi.law.obligations.export import csv_bytes, row, to_xlsx

from .reading import find_document

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@cache
def _register(doc_id: str) -> Register | None:
    lib = bundled()
    try:
        entry = lib.get(doc_id)
    except UnknownDocument:
        return None
    if entry.id != doc_id:
        return None
    return build_register(lib.document(doc_id), doc_id=doc_id, title=entry.display_title)


def _lookup(request: HttpRequest, doc_id: str):
    doc = find_document(doc_id)
    register = _register(doc_id) if doc is not None else None
    if register is None:
        response = render(
            request,
            "library/not_found.html",
            {"message": f"法规库中没有编号为“{doc_id}”的文件，无法列出其义务清单。"},
            status=404,
        )
        return None, None, response
    return doc, register, None


def obligations(request: HttpRequest, doc_id: str) -> HttpResponse:
    """The register as a table; ``?bearer=`` (a party) and ``?modality=`` (must, must_not,
    may, encouraged) filter it."""
    doc, register, missing = _lookup(request, doc_id)
    if missing:
        return missing
    bearer = request.GET.get("bearer") or None
    modality = request.GET.get("modality") or None
    if modality not in {m.value for m in Modality}:
        modality = None
    if bearer not in register.bearers():
        bearer = None
    selected = register.select(bearer=bearer, modality=modality)
    table = [{"ob": ob, "cells": row(ob)} for ob in selected]
    counts = {m.value: 0 for m in Modality}
    for ob in register.obligations:
        counts[ob.modality.value] += 1
    return render(
        request,
        "library/obligations.html",
        {
            "doc": doc,
            "rows": table,
            "total": len(register.obligations),
            "bearers": register.bearers(),
            "unnamed": UNNAMED,
            "modalities": [(m.value, m.label, counts[m.value]) for m in Modality],
            "bearer": bearer,
            "modality": modality,
        },
    )


def obligations_download(request: HttpRequest, doc_id: str, fmt: str) -> HttpResponse:
    """The register as CSV (``?by=bearer`` for the per-party view) or as an Excel workbook."""
    _, register, missing = _lookup(request, doc_id)
    if missing:
        return missing
    if fmt == "csv":
        by = "bearer" if request.GET.get("by") == "bearer" else None
        response = HttpResponse(csv_bytes(register, by=by), content_type="text/csv; charset=utf-8")
        name = f"{doc_id}-obligations{'-by-bearer' if by else ''}.csv"
    elif fmt == "xlsx":
        response = HttpResponse(to_xlsx(register), content_type=XLSX)
        name = f"{doc_id}-obligations.xlsx"
    else:
        return render(
            request,
            "library/not_found.html",
            {"message": f"不支持的下载格式“{fmt}”：可选 csv 或 xlsx。"},
            status=404,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
