"""URLs of applications (申报), mounted at /applications/."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("mine/", views.mine, name="mine"),
    path("policy/<slug:slug>/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
]
