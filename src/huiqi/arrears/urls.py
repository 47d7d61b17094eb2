"""URLs of the arrears complaints (mounted at /arrears/)."""

from django.urls import path

from . import views

app_name = "arrears"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("records/", views.records, name="records"),
    path("<str:number>/transfer/", views.transfer, name="transfer"),
]
