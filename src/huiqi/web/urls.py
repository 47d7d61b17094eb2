"""The platform's URLs: the administration site and the account pages."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "惠企平台管理"
admin.site.site_title = "惠企平台管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("huiqi.accounts.urls")),
]
