"""URLs of this app."""

from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.runs, name="runs"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.run, name="run"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("entitlements/", views.entitlements, name="entitlements"),
]
