"""JSON API of the enterprise registry (mounted at /api/enterprises): the officials' list
and one enterprise's record, with the same permissions as the pages
(:mod:`huiqi.accounts.authz`): the list is for officials and administrators, a record the
caller may not see is not found (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from huiqi.accounts.authz import is_staff
from huiqi.rules.errors import RulesError

from .facts import facts_of, jsonable, size_of
from .forms import EnterpriseFilter
from .models import YEARLY_FACTS, Enterprise

router = Router(tags=["企业名录"])


class EnterpriseSummary(Schema):
    uscc: str = Field(..., description="统一社会信用代码")
    name: str = Field(..., description="企业名称")
    industry: str = Field(..., description="所属行业（GB/T 4754-2017 代码）")
    district: str = Field(..., description="所在地区（行政区划代码）")
    founded: date = Field(..., description="成立日期")
    size: str | None = Field(
        None, description="企业规模（large / medium / small / micro），无法判定时为 null"
    )

    @staticmethod
    def resolve_size(obj: Enterprise) -> str | None:
        try:
            result = size_of(obj, date.today())
        except RulesError:
            return None
        return result.size.value if result.size else None


@router.get(
    "",
    response=list[EnterpriseSummary],
    summary="企业名录",
    description="仅限部门工作人员（本行政区划及下级）和管理员。可按 q（名称或统一社会信用代码）、"
    "district（行政区划代码）、industry（行业代码，任一层级）、size（企业规模）筛选；分页。",
)
@paginate(PageNumberPagination, page_size=25)
def enterprises(
    request: HttpRequest,
    q: str = "",
    district: str = "",
    industry: str = "",
    size: str = "",
) -> Any:
    if not is_staff(request.user):
        raise PermissionDenied("企业名录仅供部门工作人员和管理员查看")
    visible = Enterprise.objects.visible_to(request.user)
    form = EnterpriseFilter(
        {"q": q, "district": district, "industry": industry, "size": size}, visible=visible
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.filtered(visible, date.today()).prefetch_related("yearly_facts", "qualifications")


@router.get(
    "/{uscc}",
    summary="一家企业的信息",
    description="登记信息、按年度的数据、资质及有效期、今日的企业规模及判定过程和依据。"
    "企业用户只能查看本企业，部门工作人员只能查看本行政区划内的企业；无权查看时返回 404。",
)
def enterprise(request: HttpRequest, uscc: str) -> dict[str, Any]:
    found = (
        Enterprise.objects.visible_to(request.user)
        .prefetch_related("yearly_facts", "qualifications")
        .filter(uscc=uscc)
        .first()
    )
    if found is None:
        raise Http404(f"没有统一社会信用代码为 {uscc} 的企业，或您无权查看")
    today = date.today()
    try:
        size: dict[str, Any] = size_of(found, today).to_dict()
    except RulesError as exc:
        size = {"size": None, "refused": str(exc)}
    return {
        "uscc": found.uscc,
        "facts": jsonable(facts_of(found, today)),
        "years": [
            {"year": y.year, **{name: getattr(y, name) for name in YEARLY_FACTS}}
            for y in sorted(found.yearly_facts.all(), key=lambda y: -y.year)
        ],
        "qualifications": [
            {
                "kind": q.kind,
                "label": q.get_kind_display(),
                "valid_from": q.valid_from.isoformat(),
                "valid_to": q.valid_to.isoformat(),
                "first_recognised": q.first_recognised.isoformat() if q.first_recognised else None,
            }
            for q in found.qualifications.all()
        ],
        "size": size,
    }
