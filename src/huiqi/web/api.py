"""The JSON API (django-ninja): one router per app, OpenAPI schema and docs at /api/docs.

Endpoints need a bearer token or a logged-in session unless they are public (the regulation
library, the published policy list, the public calculator and size self-test). Errors come
back as ``{"detail": "…"}`` in Chinese: 401 not logged in, 403 not permitted, 404 not found or
not visible to the caller, 422 invalid input (naming the field)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestInvalid

from huiqi.accounts.api_auth import REQUIRED
from huiqi.applications.api import router as applications
from huiqi.arrears.api import router as arrears
from huiqi.calculator.api import router as calculator
from huiqi.cases.api import router as cases
from huiqi.console.api import router as console
from huiqi.enterprises.api import router as enterprises
from huiqi.errors import UserError
from huiqi.library.api import router as library
from huiqi.policies.api import router as policies
from huiqi.screening.api import router as screening

api = NinjaAPI(
    title="惠企平台 API",
    version="1",
    description="中小企业服务平台的数据接口：法规库、惠企政策、政策计算器、企业名录、免申即享筛查。",
    auth=REQUIRED,
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/law", library)
api.add_router("/policies", policies)
api.add_router("/calculator", calculator)
api.add_router("/enterprises", enterprises)
api.add_router("/screenings", screening)
api.add_router("/console", console)
api.add_router("/cases", cases)
api.add_router("/arrears", arrears)
api.add_router("/applications", applications)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "需要登录或接口令牌"}, status=401)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "未找到"}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(UserError)
def _user_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=422)


_PROBLEMS = {
    "missing": "缺少此字段",
    "extra_forbidden": "不允许的字段",
    "int_parsing": "应当是整数",
    "int_type": "应当是整数",
    "int_from_float": "应当是整数",
    "float_parsing": "应当是数字",
    "float_type": "应当是数字",
    "decimal_parsing": "应当是数字",
    "bool_parsing": "应当是 true 或 false",
    "bool_type": "应当是 true 或 false",
    "string_type": "应当是文字",
    "date_parsing": "应当是日期（如 2026-01-01）",
    "date_from_datetime_parsing": "应当是日期（如 2026-01-01）",
    "date_type": "应当是日期（如 2026-01-01）",
    "dict_type": "应当是对象（{…}）",
    "model_attributes_type": "应当是对象（{…}）",
    "list_type": "应当是列表（[…]）",
    "json_invalid": "不是有效的 JSON",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "string_too_long": "文字太长",
    "string_too_short": "文字太短",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
}


@api.exception_handler(RequestInvalid)
def _request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
    """A request that does not fit the endpoint's schema: each problem with where it is
    (``loc``: body / query / path and the field) and what is wrong, in Chinese."""
    detail = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        problem = _PROBLEMS.get(error.get("type", ""), "取值无效")
        where = ".".join(location[1:]) or "请求"
        detail.append({"loc": location, "msg": f"{where}：{problem}"})
    return api.create_response(request, {"detail": detail}, status=422)
