"""JSON API of the policy library (mounted at /api/policies).

The published list and policies are public (长春 条例 第三十五条第二款); writing, publishing,
withdrawing and the version history need a token or a session of an official (their
jurisdiction) or an administrator, as on the pages. A policy is written as its pack entry
(``docs/policies.md``); errors come back with the form field at fault."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from ninja import Body, Field, Query, Router, Schema
from ninja import Status as Reply

from huiqi.accounts.api_auth import OPTIONAL
from huiqi.accounts.authz import is_staff

from . import services
from .listing import ListFilters
from .models import PolicyVersion, Status
from .views import managed_record, visible_version

router = Router(tags=["惠企政策"])

PAGE_SIZE = 50


class ListQuery(Schema):
    q: str = Field("", description="在政策名称、支持内容、主管部门中搜索")
    industry: str = Field("", description="行业代码（GB/T 4754-2017 门类或大类，如 C、39）")
    size: str = Field("", description="企业规模：large、medium、small、micro")
    department: str = Field("", description="主管部门（全称）")
    kind: str = Field("", description="支持类型：funds、tax、financing、land、talent、service")
    mode: str = Field("", description="兑现方式：auto_grant、fast_track、apply")
    page: int = Field(1, ge=1, description="页码，每页 50 项")


class PolicySummary(Schema):
    id: str = Field(description="政策编号")
    version: int = Field(description="版本号")
    status: str = Field(description="状态：draft、published、withdrawn、superseded")
    title: str = Field(description="政策名称")
    jurisdiction: str = Field(description="适用地区（行政区划代码，全国为 cn）")
    department: str = Field(description="主管部门")
    mode: str = Field(description="兑现方式")
    benefit_kind: str = Field(description="支持类型")
    content_hash: str = Field(description="内容指纹：结果据此对应政策的具体版本")
    sizes: list[str] = Field(description="条件允许的企业规模；空表示不限")
    industries: list[str] = Field(description="条件允许的行业代码；空表示不限")
    published_at: datetime | None = Field(description="发布时间")


class PolicyPage(Schema):
    count: int = Field(description="符合筛选条件的政策总数")
    page: int = Field(description="当前页码")
    pages: int = Field(description="总页数")
    items: list[PolicySummary]


class VersionOut(PolicySummary):
    created_at: datetime = Field(description="创建时间")
    created_by: str | None = Field(description="创建人")
    withdrawn_at: datetime | None = Field(description="撤回时间")


class PolicyOut(Schema):
    version: VersionOut
    policy: dict[str, Any] = Field(
        description="政策全文：支持内容（含示例金额说明）、条件（文本与 JSON）、法律依据、有效期"
    )
    entry: dict[str, Any] = Field(description="政策文件格式的内容（可修改后提交为新草稿）")


def _summary(version: PolicyVersion) -> dict[str, Any]:
    return {
        **version.to_summary(),
        "sizes": version.sizes,
        "industries": version.industries,
        "published_at": version.published_at,
    }


def _version(version: PolicyVersion) -> dict[str, Any]:
    return {
        **_summary(version),
        "created_at": version.created_at,
        "created_by": version.created_by.get_username() if version.created_by else None,
        "withdrawn_at": version.withdrawn_at,
    }


def _full(version: PolicyVersion) -> dict[str, Any]:
    return {
        "version": _version(version),
        "policy": version.policy.to_dict(),
        "entry": version.entry,
    }


def _staff(request: HttpRequest) -> Any:
    if not is_staff(request.user):
        raise PermissionDenied("只有部门工作人员和管理员可以管理政策")
    return request.user


@router.get("", response=PolicyPage, auth=None, summary="惠企政策清单")
def list_policies(request: HttpRequest, filters: Query[ListQuery]) -> dict[str, Any]:
    """已发布的政策，可按行业、规模、主管部门、支持类型、兑现方式筛选和搜索。"""
    data = filters.dict()
    page_number = data.pop("page")
    form = ListFilters({k: v for k, v in data.items() if v})
    if not form.is_valid():
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    found = form.versions()
    page = Paginator(found, PAGE_SIZE).get_page(page_number)
    return {
        "count": len(found),
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_summary(v) for v in page.object_list],
    }


@router.post("", response={201: PolicyOut}, summary="新建政策草稿")
def create_policy(request: HttpRequest, entry: Body[dict[str, Any]]) -> Reply[dict[str, Any]]:
    """以政策文件格式（见 docs/policies.md）新建政策，保存为第1版草稿。"""
    version = services.create_draft(_staff(request), entry)
    return Reply(201, _full(version))


@router.get("/{slug}", response=PolicyOut, auth=OPTIONAL, summary="政策详情")
def get_policy(request: HttpRequest, slug: str, version: int | None = None) -> dict[str, Any]:
    """现行（已发布）版本；给出 version 时为该版本（曾发布的版本公开，草稿仅管理者可见）。"""
    return _full(visible_version(request.user, slug, version))


@router.put("/{slug}/draft", response=PolicyOut, summary="修改政策（草稿或新版本）")
def put_draft(request: HttpRequest, slug: str, entry: Body[dict[str, Any]]) -> dict[str, Any]:
    """修改草稿；最新版本已发布、撤回或被取代时，创建新的草稿版本（原版本不变）。"""
    record = managed_record(_staff(request), slug)
    latest = record.versions.latest("number")
    if latest.status == Status.DRAFT:
        version = services.update_draft(request.user, latest, entry)
    else:
        version = services.new_version(request.user, record, entry)
    return _full(version)


def _draft(record: Any) -> PolicyVersion:
    found = record.versions.filter(status=Status.DRAFT).first()
    if found is None:
        raise Http404("这项政策没有待发布的草稿")
    return found


@router.post("/{slug}/publish", response=PolicyOut, summary="发布草稿")
def publish_policy(request: HttpRequest, slug: str) -> dict[str, Any]:
    """发布草稿版本，取代现行版本。"""
    record = managed_record(_staff(request), slug)
    return _full(services.publish(request.user, _draft(record)))


@router.post("/{slug}/withdraw", response=PolicyOut, summary="撤回政策")
def withdraw_policy(request: HttpRequest, slug: str) -> dict[str, Any]:
    """撤回现行（已发布）版本，政策不再出现在公开清单中。"""
    record = managed_record(_staff(request), slug)
    published = record.versions.filter(status=Status.PUBLISHED).first()
    if published is None:
        raise Http404("这项政策没有已发布的版本")
    return _full(services.withdraw(request.user, published))


@router.get("/{slug}/versions", response=list[VersionOut], summary="版本记录")
def versions(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """政策的全部版本，最新在前，含创建、发布、撤回的时间和人员。"""
    record = managed_record(_staff(request), slug)
    return [_version(v) for v in record.versions.select_related("record", "created_by")]
