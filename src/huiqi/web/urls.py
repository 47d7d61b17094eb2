"""The platform's URLs: pages by app, the JSON API under /api/ and the administration site."""

from django.contrib import admin
from django.urls import include, path

from .api import api

admin.site.site_header = "惠企平台管理"
admin.site.site_title = "惠企平台管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", include("huiqi.portal.urls")),
    path("accounts/", include("huiqi.accounts.urls")),
    path("enterprises/", include("huiqi.enterprises.urls")),
    path("law/", include("huiqi.library.urls")),
    path("policies/", include("huiqi.policies.urls")),
    path("calculator/", include("huiqi.calculator.urls")),
    path("screenings/", include("huiqi.screening.urls")),
    path("console/", include("huiqi.console.urls")),
    path("cases/", include("huiqi.cases.urls")),
    path("arrears/", include("huiqi.arrears.urls")),
    path("applications/", include("huiqi.applications.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
