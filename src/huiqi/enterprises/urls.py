"""URLs of this app."""

from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
]
