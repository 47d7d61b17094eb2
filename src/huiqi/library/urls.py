"""URLs of the regulation library: /law/, /law/search/, /law/<doc>/, /law/<doc>/<node path>."""

from django.urls import path

from . import compare_views, obligations_views, views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    # before the document route, which would take "compare" as a document id
    path("compare/", compare_views.compare, name="compare"),
    path("compare.<str:fmt>", compare_views.compare_download, name="compare_download"),
    path("corresponding/", compare_views.corresponding_view, name="corresponding"),
    path("<str:doc_id>/", views.document, name="document"),
    # before the article route, which would take "<doc>/obligations/" as a node path
    path("<str:doc_id>/obligations/", obligations_views.obligations, name="obligations"),
    path(
        "<str:doc_id>/obligations.<str:fmt>",
        obligations_views.obligations_download,
        name="obligations_download",
    ),
    path("<str:doc_id>/<path:node>", views.article, name="article"),
]
