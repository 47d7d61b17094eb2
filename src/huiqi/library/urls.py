"""URLs of the regulation library: /law/, /law/search/, /law/<doc>/, /law/<doc>/<node path>."""

from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("<str:doc_id>/", views.document, name="document"),
    path("<str:doc_id>/<path:node>", views.article, name="article"),
]
