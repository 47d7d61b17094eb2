"""Pages of the regulation library (长春 条例 第三十五条: publish, classify and search laws and
policies): documents by jurisdiction and status, a document's text, one provision with its
citation and versions, and search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from huiqi.law.search import QueryError

from . import search as library_search
from .forms import SearchForm
from .models import LawDocument, NodeKind
from .reading import (
    by_jurisdiction,
    document_blocks,
    find_document,
    find_provision,
    provision_and_below,
    same_provision_in_versions,
)

SEARCH_LIMIT = 50


def index(request: HttpRequest) -> HttpResponse:
    """Every document, grouped by jurisdiction and then by 现行有效 / 草案 / 已被修订."""
    documents = list(LawDocument.objects.defer("export"))
    return render(
        request,
        "library/index.html",
        {"groups": by_jurisdiction(documents), "loaded": bool(documents)},
    )


def document(request: HttpRequest, doc_id: str) -> HttpResponse:
    """A document's table of contents (编/章/节) and its full text, one anchor per article."""
    doc = find_document(doc_id, with_export=True)
    if doc is None:
        return _not_found(request, f"法规库中没有编号为“{doc_id}”的文件。")
    provisions = list(doc.provisions.all())
    return render(
        request,
        "library/document.html",
        {
            "doc": doc,
            "divisions": [p for p in provisions if p.is_division],
            "blocks": document_blocks(provisions),
            "versions": LawDocument.objects.versions_of(doc),
        },
    )


def article(request: HttpRequest, doc_id: str, node: str) -> HttpResponse:
    """One provision (an article, or a 款/项/目 under it) with its citation, its article's
    neighbours, and the provision with the same number in the work's other versions."""
    doc = find_document(doc_id)
    if doc is None:
        return _not_found(request, f"法规库中没有编号为“{doc_id}”的文件。")
    provision = find_provision(doc, node)
    if provision is None:
        return _not_found(request, f"《{doc.display_title}》中没有编号为“{node}”的条款。")
    if provision.is_division:
        return redirect(provision.get_absolute_url())
    parts = provision_and_below(provision)
    art = (
        provision if provision.kind == NodeKind.ARTICLE else find_provision(doc, provision.article)
    )
    articles = doc.provisions.filter(kind=NodeKind.ARTICLE)
    versions = LawDocument.objects.versions_of(doc)
    return render(
        request,
        "library/article.html",
        {
            "doc": doc,
            "provision": provision,
            "article": art,
            "parts": parts,
            "previous": articles.filter(order__lt=art.order).last(),
            "next": articles.filter(order__gt=art.order).first(),
            "versions": same_provision_in_versions(versions, doc, provision),
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search of the articles; htmx requests get the results alone."""
    documents = list(LawDocument.objects.defer("export"))
    form = SearchForm(request.GET or None, documents=documents)
    context: dict[str, Any] = {"form": form, "hits": None, "limit": SEARCH_LIMIT}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        try:
            context["hits"] = library_search.search(
                data["q"],
                jurisdiction=data["jurisdiction"] or None,
                stage=data["stage"] or None,
                doc=data["doc"] or None,
                limit=SEARCH_LIMIT,
            )
        except QueryError as exc:
            form.add_error("q", str(exc))
    context["query"] = form.cleaned_data.get("q", "") if form.is_bound else ""
    template = "library/_results.html" if request.htmx else "library/search.html"
    return render(request, template, context)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "library/not_found.html", {"message": message}, status=404)
