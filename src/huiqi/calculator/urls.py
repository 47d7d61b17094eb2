"""URLs of this app."""

from django.urls import path

from . import views

app_name = "calculator"

urlpatterns = [
    path("", views.public, name="public"),
    path("size/", views.size, name="size"),
    path("mine/", views.mine, name="mine"),
]
