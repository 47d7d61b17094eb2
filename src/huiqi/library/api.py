"""JSON API of the regulation library (mounted at /api/law by huiqi.web.api), public like the
pages (长春 条例 第三十五条: the platform publishes and searches laws and policies)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from huiqi.law.search import QueryError, parse_query

from . import search as library_search
from .models import LawDocument, NodeKind, Provision
from .reading import find_document, find_provision, same_provision_in_versions

router = Router(tags=["法规库"])

SEARCH_LIMIT_MAX = 100


class JurisdictionOut(Schema):
    code: str = Field(description="行政区划代码；全国性法律法规为 cn")
    name: str = Field(description="名称，如 长春市")
    full_name: str = Field(description="含上级的全称，如 吉林省长春市；全国性为 全国")


class DocumentOut(Schema):
    id: str = Field(description="文件编号，如 220100-sme-promotion-2025-04-03")
    work: str = Field(description="作品编号：同一法规的各版本相同")
    title: str = Field(description="标题")
    display_title: str = Field(description="显示标题：草案注明阶段")
    short: str = Field(description="简称")
    jurisdiction: JurisdictionOut
    type: str = Field(description="类别：法律、行政法规、地方性法规、经济特区法规")
    stage: str = Field(description="阶段：征求意见稿、修订草案、二次审议稿、通过、修订")
    status: str = Field(description="current 现行有效、draft 草案、superseded 已被修订")
    status_label: str = Field(description="效力状态（中文）")
    latest: bool = Field(description="法规库中没有该作品更晚的版本")
    dates: dict[str, date] = Field(
        description="日期：adopted 通过、approved 批准、promulgated 公布、effective 施行、"
        "revised 修订、prepared 制作"
    )
    version_of: str | None = Field(description="前一版本的编号")
    later_versions: list[str] = Field(description="以本文件为前一版本的文件编号")
    issuer: str = Field(description="制定机关")
    number: str = Field(description="文号")
    note: str = Field(description="说明")
    articles: int = Field(description="条数")
    url: str = Field(description="网页地址")


class DocumentDetailOut(DocumentOut):
    versions: list[str] = Field(description="同一作品的各版本编号（含本文件），由早到晚")
    export: dict[str, Any] = Field(
        description="全文的 JSON 导出（schema 1：divisions 编章节、articles 条款项）"
    )


class VersionProvisionOut(Schema):
    doc: str = Field(description="版本的文件编号")
    display_title: str
    status: str = Field(description="current 现行有效、draft 草案、superseded 已被修订")
    node: str | None = Field(description="该版本中同一条号的节点编号；没有此条时为空")
    url: str | None = Field(description="该条的网页地址；没有此条时为空")


class ProvisionOut(Schema):
    doc: str = Field(description="文件编号")
    doc_title: str = Field(description="文件显示标题")
    node: str = Field(description="节点编号，如 art_12/para_1/item_3")
    kind: str = Field(description="层级：article 条、paragraph 款、item 项、subitem 目")
    kind_label: str = Field(description="层级（中文）")
    label: str = Field(description="本级序号，如 第四十三条、第一款、（三）")
    path_label: str = Field(description="条款序号，如 第十二条第一款第（三）项")
    heading: str = Field(description="所在条的条旨（如有）")
    text: str = Field(description="本级文字（款的文字不含其下各项）")
    full_text: str = Field(description="含其下各款、项的全文，每段一行")
    citation: str = Field(description="引用，如 《长春市促进中小企业发展条例》第四十三条")
    division: str = Field(description="所在编、章、节")
    article: str = Field(description="所在条的节点编号")
    children: list[str] = Field(description="下一级节点编号")
    url: str = Field(description="网页地址")
    versions: list[VersionProvisionOut] = Field(description="本作品其他版本中同一条号的条文")


class HitOut(Schema):
    doc: str = Field(description="文件编号")
    title: str = Field(description="文件显示标题")
    article: int = Field(description="条号（阿拉伯数字）")
    node: str = Field(description="节点编号，如 art_43")
    heading: str | None = Field(description="条旨（如有）")
    snippet: str = Field(description="摘录（纯文本，约 60 字）")
    snippet_marked: str = Field(description="摘录，命中处以 « » 标出")
    snippet_html: str = Field(description="摘录（已转义的 HTML），命中处为 <mark>")
    highlights: list[list[int]] = Field(description="命中处在摘录中的 [起, 止) 字符位置")
    citation: str = Field(description="引用")
    jurisdiction: str = Field(description="行政区划代码")
    stage: str = Field(description="阶段")
    latest: bool = Field(description="是否为最新版本（旧版本得分减半）")
    score: float = Field(description="相关度，越大越相关，仅在同一次检索内可比")
    url: str = Field(description="条文网页地址")


class SearchOut(Schema):
    query: str
    count: int = Field(description="返回的条数（不超过 limit）")
    hits: list[HitOut]


@router.get("/documents", response=list[DocumentOut], auth=None, summary="法规库文件列表")
def documents(request: HttpRequest) -> list[dict[str, Any]]:
    """法规库中的全部文件，按全国、各地排列；含行政区划、阶段、效力状态和日期。"""
    docs = list(LawDocument.objects.defer("export"))
    return [_document(d, docs) for d in docs]


@router.get("/documents/{doc_id}", response=DocumentDetailOut, auth=None, summary="法规文件")
def document(request: HttpRequest, doc_id: str) -> dict[str, Any]:
    """一个文件的信息、各版本和全文（JSON 导出）。"""
    doc = _find(doc_id, with_export=True)
    versions = LawDocument.objects.versions_of(doc)
    out = _document(doc, versions)
    out.update(versions=[v.id for v in versions], export=doc.export)
    return out


@router.get(
    "/documents/{doc_id}/provisions/{path:node}",
    response=ProvisionOut,
    auth=None,
    summary="条文",
)
def provision(request: HttpRequest, doc_id: str, node: str) -> dict[str, Any]:
    """一条（或其下的款、项、目）：文字、引用，以及其他版本中同一条号的条文。"""
    doc = _find(doc_id)
    found = find_provision(doc, node)
    if found is None or found.is_division:
        raise Http404(f"《{doc.display_title}》中没有编号为“{node}”的条款")
    children = doc.provisions.filter(parent=found.node).values_list("node", flat=True)
    versions = same_provision_in_versions(LawDocument.objects.versions_of(doc), doc, found)
    return {
        "doc": doc.id,
        "doc_title": doc.display_title,
        "node": found.node,
        "kind": found.kind,
        "kind_label": found.get_kind_display(),
        "label": found.label,
        "path_label": found.path_label,
        "heading": _heading(doc, found),
        "text": found.text,
        "full_text": found.full_text,
        "citation": found.citation,
        "division": found.division,
        "article": found.article,
        "children": list(children),
        "url": found.get_absolute_url(),
        "versions": [
            {
                "doc": link.doc.id,
                "display_title": link.doc.display_title,
                "status": link.doc.status,
                "node": link.provision.node if link.provision else None,
                "url": link.provision.get_absolute_url() if link.provision else None,
            }
            for link in versions
            if not link.current
        ],
    }


@router.get("/search", response=SearchOut, auth=None, summary="检索条文")
def search(
    request: HttpRequest,
    q: str = Query(..., description="检索词；以空格分隔的多个词须同时出现"),
    jurisdiction: str | None = Query(None, description="行政区划代码（430000）或名称（湖南省）"),
    stage: str | None = Query(
        None, description="阶段：征求意见稿、修订草案、二次审议稿、通过、修订"
    ),
    doc: str | None = Query(None, description="文件编号，或能唯一确定文件的编号前缀"),
    limit: int = Query(20, description=f"最多返回几条（1–{SEARCH_LIMIT_MAX}）"),
) -> dict[str, Any]:
    """全文检索各文件的条文，最相关的在前；摘录中标出命中处。"""
    try:
        parse_query(q)
    except QueryError as exc:
        raise ValidationError({"q": [str(exc)]}) from exc
    if not 1 <= limit <= SEARCH_LIMIT_MAX:
        raise ValidationError(
            {"limit": [f"limit 须在 1 到 {SEARCH_LIMIT_MAX} 之间，而不是 {limit}"]}
        )
    try:
        hits = library_search.search(
            q, jurisdiction=jurisdiction or None, stage=stage or None, doc=doc or None, limit=limit
        )
    except QueryError as exc:
        raise ValidationError(str(exc)) from exc
    return {
        "query": q,
        "count": len(hits),
        "hits": [
            {
                **hit.as_dict(),
                "snippet_html": hit.snippet_html(),
                "url": reverse("library:article", args=[hit.doc, hit.node]),
            }
            for hit in hits
        ],
    }


def _find(doc_id: str, *, with_export: bool = False) -> LawDocument:
    doc = find_document(doc_id, with_export=with_export)
    if doc is None:
        raise Http404(f"法规库中没有编号为“{doc_id}”的文件")
    return doc


def _heading(doc: LawDocument, provision: Provision) -> str:
    if provision.kind == NodeKind.ARTICLE or not provision.article:
        return provision.heading
    article = find_provision(doc, provision.article)
    return article.heading if article is not None else ""


def _document(doc: LawDocument, known: list[LawDocument]) -> dict[str, Any]:
    return {
        "id": doc.id,
        "work": doc.work,
        "title": doc.title,
        "display_title": doc.display_title,
        "short": doc.short,
        "jurisdiction": {
            "code": doc.jurisdiction,
            "name": doc.jurisdiction_name,
            "full_name": doc.jurisdiction_full_name,
        },
        "type": doc.type,
        "stage": doc.stage,
        "status": doc.status,
        "status_label": doc.get_status_display(),
        "latest": doc.latest,
        "dates": doc.dates,
        "version_of": doc.version_of_id,
        "later_versions": [d.id for d in known if d.version_of_id == doc.id],
        "issuer": doc.issuer,
        "number": doc.number,
        "note": doc.note,
        "articles": doc.articles,
        "url": doc.get_absolute_url(),
    }
