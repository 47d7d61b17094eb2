"""JSON API of the policy calculator and the size self-test (mounted at /api/calculator).

The input is checked by the same forms (size) and the same fact checks (match) as the pages,
so a bad value comes back as 422 with a Chinese message naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from huiqi.accounts import authz
from huiqi.enterprises.facts import facts_of, jsonable
from huiqi.enterprises.models import Enterprise

from .forms import SizeForm
from .results import calculate

router = Router(tags=["政策计算器"])

_Number = int | float | str | None


class SizeInput(Schema):
    industry: str | None = Field(
        None, description="所属行业：《国民经济行业分类》（GB/T 4754-2017）代码，如 3911"
    )
    employees: _Number = Field(None, description="从业人员（人）；不知道可不填")
    revenue: _Number = Field(None, description="营业收入（万元）")
    total_assets: _Number = Field(None, description="资产总额（万元）")
    on: str | None = Field(None, description="划型日期（如 2025-06-01），默认今天")
    individual_business: bool = Field(False, description="个体工商户（参照划型）")


class MatchInput(Schema):
    facts: dict[str, Any] = Field(
        ...,
        description="企业信息：键为事实目录（huiqi/rules/data/facts.yaml）中的名称，如 "
        '{"district": "220102", "industry": "3911", "employees": 50, "revenue": 3000}；'
        "日期写作 2025-06-01，金额以万元计，不知道的事实不填",
    )
    on: str | None = Field(None, description="评估日期（如 2026-06-01），默认今天")


@router.post(
    "/size",
    auth=None,
    summary="企业规模自测（划型）",
    description="按《中小企业划型标准规定》（工信部联企业〔2011〕300号）划型，返回规模、各项指标"
    "与标准的比较、判定过程和依据；缺少决定性指标时 size 为 null，missing 列出所需指标。"
    "《保障中小企业款项支付条例》（2025年版）第二十九条第一款要求提供此项自测服务。",
)
def size(request: HttpRequest, payload: SizeInput) -> dict[str, Any]:
    data = payload.dict()
    form = SizeForm(
        data={
            **{k: "" if v is None else str(v) for k, v in data.items()},
            "individual_business": "on" if data["individual_business"] else "",
        }
    )
    result = form.classify()
    if form.errors:
        raise ValidationError(form.errors.as_data())
    if form.refusal:
        raise HttpError(422, form.refusal)
    assert result is not None
    return result.to_dict()


@router.post(
    "/match",
    auth=None,
    summary="政策计算器：按企业信息匹配已发布的惠企政策",
    description="对每项适用于企业所在地区、在评估日期开放的已发布政策，给出符合 / 可能符合 / "
    "不符合、逐项条件、待补充的事实、下一步、待遇和政策依据，以及政策版本。符合的排在前面。",
)
def match(request: HttpRequest, payload: MatchInput) -> dict[str, Any]:
    return calculate(payload.facts, _date(payload.on)).to_dict()


@router.get(
    "/mine",
    summary="我的政策：按企业名录中本企业的信息匹配",
    description="仅限企业用户：按名录中本企业的信息（政府共享数据）计算，无需填写。",
)
def mine(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if authz.enterprise_of(user) is None:
        raise PermissionDenied("“我的政策”仅供企业用户使用；查看某家企业请用 /api/enterprises")
    enterprise = (
        Enterprise.objects.visible_to(user)
        .prefetch_related("yearly_facts", "qualifications")
        .filter(uscc=user.enterprise_uscc)
        .first()
    )
    if enterprise is None:
        raise Http404(f"企业名录中没有统一社会信用代码为 {user.enterprise_uscc} 的企业")
    today = date.today()
    facts = facts_of(enterprise, today)
    return {
        "uscc": enterprise.uscc,
        "name": enterprise.name,
        "facts": jsonable(facts),
        **calculate(facts, today).to_dict(),
    }


def _date(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            {"on": [f"评估日期应当是日期，如 2026-06-01，而不是“{text}”"]}
        ) from None
