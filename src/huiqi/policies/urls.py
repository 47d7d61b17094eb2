"""URLs of this app."""

from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.list, name="list"),
]
