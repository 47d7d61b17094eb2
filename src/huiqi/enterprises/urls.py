"""URLs of this app."""

from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.index, name="list"),
    path("mine/", views.mine, name="mine"),
    path("<str:uscc>/", views.detail, name="detail"),
]
