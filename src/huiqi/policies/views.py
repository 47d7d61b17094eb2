"""Pages of the policy library: the public 惠企政策清单 with its Excel export and policy pages
(长春 条例 第三十五条第二款), and the officials' pages to write, publish and withdraw policies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from huiqi.accounts.authz import is_staff
from huiqi.law import bundled
from huiqi.law.search import QueryError, cached_index
from huiqi.rules.citations import Citation, CitationKind, cite
from huiqi.rules.criteria import CriteriaError, parse
from huiqi.rules.criteria import render as render_criteria
from huiqi.rules.errors import RulesError
from huiqi.rules.jurisdictions import lineage
from huiqi.rules.policies import ILLUSTRATIVE_NOTE

from . import builder, services
from .authz import can_manage, managed_scope
from .forms import PolicyForm, initial_from_entry
from .listing import PAGE_SIZE, ListFilters, jurisdiction_name, workbook
from .models import PolicyRecord, PolicyVersion, Status

# public -----------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """惠企政策清单: published policies, filtered; the results alone for htmx requests."""
    filters = ListFilters(request.GET)
    found = filters.versions()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "count": len(found), "query": filters.query()}
    template = "policies/_results.html" if request.htmx else "policies/list.html"
    return render(request, template, context)


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list as an Excel workbook."""
    filters = ListFilters(request.GET)
    body = workbook(filters.versions())
    name = f"惠企政策清单-{date.today().isoformat()}.xlsx"
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"policies.xlsx\"; filename*=UTF-8''{quote(name)}"
    )
    return response


def visible_version(user: Any, slug: str, number: int | None) -> PolicyVersion:
    """The version a visitor asked for: the published one by default; a given number when it
    was ever published, or any version for those who manage the policy. Else 404."""
    record = get_object_or_404(PolicyRecord, slug=slug)
    versions = record.versions.select_related("record", "created_by", "published_by")
    manager = can_manage(user, record.jurisdiction)
    if number is None:
        found = versions.filter(status=Status.PUBLISHED).first()
        if found is None and manager:
            found = versions.order_by("-number").first()
    else:
        found = versions.filter(number=number).first()
        if found is not None and found.published_at is None and not manager:
            found = None
    if found is None:
        raise Http404("没有找到这项政策，或它尚未发布")
    return found


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One policy: benefit, criteria in plain Chinese, window, mode, legal basis, version."""
    number = request.GET.get("version")
    version = visible_version(
        request.user, slug, int(number) if number and number.isdigit() else None
    )
    policy = version.policy
    return render(
        request,
        "policies/detail.html",
        {
            "version": version,
            "policy": policy,
            "outline": builder.outline(policy.criteria),
            "basis": [_basis_view(c) for c in policy.basis],
            "jurisdiction": jurisdiction_name(version.jurisdiction),
            "note": ILLUSTRATIVE_NOTE,
            "manager": can_manage(request.user, version.record.jurisdiction),
            "current": version.record.versions.filter(status=Status.PUBLISHED).first(),
        },
    )


def _basis_view(citation: Citation) -> dict[str, Any]:
    """A citation with its link into the regulation library and its text (law only)."""
    view: dict[str, Any] = {"citation": citation, "url": None, "text": ""}
    if citation.kind is CitationKind.LAW and citation.node:
        view["url"] = reverse("library:article", args=(citation.source, citation.node))
        node = bundled().document(citation.source).find(citation.node)
        view["text"] = node.full_text() if node is not None else ""
    return view


# officials --------------------------------------------------------------------------------


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in (else to the login page) and an official or administrator (else 403)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_staff(request.user):
            raise PermissionDenied("只有部门工作人员和管理员可以管理政策")
        return view(request, *args, **kwargs)

    return wrapped


def managed_record(user: Any, slug: str) -> PolicyRecord:
    """A policy ``user`` may manage: 404 when they may not see it at all (never published),
    403 when it is public but not theirs to change."""
    record = get_object_or_404(PolicyRecord, slug=slug)
    if not can_manage(user, record.jurisdiction):
        if record.versions.exclude(published_at=None).exists():
            raise PermissionDenied("这项政策不在您所在部门的管辖范围内，不能修改")
        raise Http404("没有找到这项政策")
    return record


@staff_required
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    """The officials' list: each policy's latest version, with its status and actions."""
    versions = (
        PolicyVersion.objects.current()
        .filter(managed_scope(request.user, "record__jurisdiction"))
        .select_related("record", "created_by")
        .order_by("jurisdiction", "record__slug")
    )
    published = dict(
        PolicyVersion.objects.published()
        .filter(record__in=[v.record_id for v in versions])
        .values_list("record_id", "number")
    )
    rows = [(v, published.get(v.record_id)) for v in versions]
    return render(request, "policies/manage.html", {"rows": rows})


@staff_required
def create(request: HttpRequest) -> HttpResponse:
    """A new policy, saved as a draft of version 1."""
    department = getattr(request.user, "department", None)
    initial = {"department": department.name if department else ""}
    if department is not None:
        initial["jurisdiction"] = department.jurisdiction
    return _edit(request, None, initial)


@staff_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit a policy: its draft in place, or — when the latest version is published,
    withdrawn or superseded — a new draft version (将创建第N版)."""
    record = managed_record(request.user, slug)
    latest = record.versions.latest("number")
    return _edit(request, record, initial_from_entry(latest.entry), latest)


def _edit(
    request: HttpRequest,
    record: PolicyRecord | None,
    initial: dict[str, Any],
    latest: PolicyVersion | None = None,
) -> HttpResponse:
    slug = record.slug if record else None
    if request.method == "POST" and "builder" in request.POST:
        form = PolicyForm(initial=_posted_initial(request), user=request.user, slug=slug)
        state = criteria_state(request.POST)
        form.builder = state["root"]
        return _edit_page(request, form, record, latest, state)
    if request.method == "POST":
        form = PolicyForm(request.POST, initial=initial, user=request.user, slug=slug)
        if form.is_valid():
            try:
                version = _save(request.user, record, latest, form.entry())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"已保存第{version.number}版草稿。")
                return redirect("policies:edit", slug=version.record.slug)
    else:
        form = PolicyForm(initial=initial, user=request.user, slug=slug)
    return _edit_page(request, form, record, latest, None)


def _save(
    user: Any, record: PolicyRecord | None, latest: PolicyVersion | None, entry: dict[str, Any]
) -> PolicyVersion:
    if record is None or latest is None:
        return services.create_draft(user, entry)
    if latest.status == Status.DRAFT:
        return services.update_draft(user, latest, entry)
    return services.new_version(user, record, entry)


def _posted_initial(request: HttpRequest) -> dict[str, Any]:
    """The posted fields as a form's initial values (a builder button re-renders the form
    as it was, without checking it)."""
    out: dict[str, Any] = {k: request.POST.get(k) for k in request.POST}
    out["basis"] = request.POST.getlist("basis")
    out["illustrative"] = bool(request.POST.get("illustrative"))
    return out


def _edit_page(
    request: HttpRequest,
    form: PolicyForm,
    record: PolicyRecord | None,
    latest: PolicyVersion | None,
    state: dict[str, Any] | None,
) -> HttpResponse:
    if state is None:
        state = {
            "root": form.builder,
            "text": form["criteria"].value() or "",
            "synced": form["criteria_synced"].value() or "",
            "error": None,
        }
    if latest is None:
        next_number = 1
    else:
        next_number = latest.number if latest.status == Status.DRAFT else latest.number + 1
    jurisdiction = record.jurisdiction if record else form["jurisdiction"].value()
    return render(
        request,
        "policies/edit.html",
        {
            "form": form,
            "record": record,
            "latest": latest,
            "next_number": next_number,
            "new_version": latest is not None and latest.status != Status.DRAFT,
            "versions": record.versions.select_related("created_by", "published_by", "withdrawn_by")
            if record
            else [],
            "basis_items": [_basis_item(v) for v in form["basis"].value() or []],
            "jurisdiction": jurisdiction,
            "criteria_errors": form.errors.get("criteria", []) if form.is_bound else [],
            **_criteria_context(state),
        },
    )


def criteria_state(data: Any) -> dict[str, Any]:
    """The builder and text after a builder button or a text edit (``builder`` = ``text``
    reads the text into the builder; any other value is a builder action)."""
    action = data.get("builder") or ""
    text = (data.get("criteria") or "").strip()
    synced = data.get("criteria_synced") or ""
    error = None
    if action == "text":
        try:
            tree = parse(text)
        except CriteriaError as exc:
            return {"root": builder.from_post(data), "text": text, "synced": synced, "error": exc}
        root = builder.from_criteria(tree)
    else:
        root = builder.from_post(data)
        builder.apply(root, action)
        tree = builder.to_criteria(root)
    if tree is not None:
        text = synced = render_criteria(tree)
    return {"root": root, "text": text, "synced": synced, "error": error}


def _criteria_context(state: dict[str, Any]) -> dict[str, Any]:
    return {
        "root": state["root"],
        "criteria_text": state["text"],
        "criteria_synced": state["synced"],
        "criteria_error": state["error"],
        "facts": builder.fact_choices(),
        "ops": builder.OPS,
        "sizes": builder.SIZES,
        "founders": builder.FOUNDERS,
        "qualifications": builder.qualifications(),
        "events": builder.events(),
        "group_ops": builder.GROUP_OPS,
        "industry_options": builder.industry_options(),
    }


@staff_required
@require_POST
def criteria(request: HttpRequest) -> HttpResponse:
    """The criteria part of the policy form re-rendered (htmx): after a builder change the
    text follows; after a text change that parses the builder follows."""
    context = _criteria_context(criteria_state(request.POST))
    return render(request, "policies/_criteria.html", context)


@staff_required
@require_GET
def basis_search(request: HttpRequest) -> HttpResponse:
    """Provisions of the regulation library for the legal basis picker (htmx): only those of
    the policy's jurisdiction or a level above it."""
    q = request.GET.get("basis_q", "").strip()
    code = request.GET.get("jurisdiction") or request.GET.get("basis_scope") or ""
    hits, error = [], None
    try:
        allowed = {j.code for j in lineage(code)}
    except RulesError:
        allowed, error = set(), "请先选择适用地区"
    if q and allowed:
        try:
            with cached_index() as index:
                found = index.search(q, limit=40)
        except QueryError as exc:
            found, error = [], str(exc)
        for hit in found:
            if hit.jurisdiction in allowed:
                article = bundled().document(hit.doc).find(hit.node)
                paragraphs = article.paragraphs if article is not None else []
                hits.append({"hit": hit, "paragraphs": paragraphs if len(paragraphs) > 1 else []})
    return render(
        request, "policies/_basis_results.html", {"hits": hits[:12], "error": error, "q": q}
    )


def _basis_item(value: str) -> dict[str, Any]:
    doc, _, at = value.partition("|")
    try:
        text = cite(doc, at).text
    except RulesError:
        text = f"{doc} {at}"
    return {"value": value, "text": text}


@staff_required
@require_GET
def basis_item(request: HttpRequest) -> HttpResponse:
    """One chosen citation of the legal basis (htmx), checked against the library."""
    doc, at = request.GET.get("doc", ""), request.GET.get("at", "")
    try:
        text = cite(doc, at).text
    except RulesError as exc:
        raise Http404(str(exc)) from None
    item = {"value": f"{doc}|{at}", "text": text}
    return render(request, "policies/_basis_item.html", {"item": item})


@staff_required
@require_POST
def publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Publish a draft version; the published one it replaces is superseded."""
    return _status_change(request, slug, number, services.publish, "已发布第{n}版。")


@staff_required
@require_POST
def withdraw(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Withdraw a published version from the public list."""
    return _status_change(request, slug, number, services.withdraw, "已撤回第{n}版。")


def _status_change(
    request: HttpRequest, slug: str, number: int, change: Callable[..., Any], done: str
) -> HttpResponse:
    record = managed_record(request.user, slug)
    version = get_object_or_404(PolicyVersion, record=record, number=number)
    try:
        change(request.user, version)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done.format(n=number))
    target = request.POST.get("next")
    if target == "manage":
        return redirect("policies:manage")
    return redirect("policies:edit", slug=slug)
