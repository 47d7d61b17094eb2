"""URLs of this app."""

from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
]
