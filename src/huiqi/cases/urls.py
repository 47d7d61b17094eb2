"""URLs of 诉求 handling (mounted at /cases/)."""

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("report/", views.report, name="report"),
    path("receipt/", views.receipt, name="receipt"),
    path("extensions/", views.extensions, name="extensions"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/<slug:action>/", views.act, name="act"),
    path("<str:number>/files/<int:pk>/", views.attachment, name="attachment"),
]
