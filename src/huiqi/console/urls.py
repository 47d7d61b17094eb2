"""URLs of the officials' console."""

from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("import/", views.import_registry, name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/rejections.csv", views.import_rejections, name="import_rejections"),
    path("audit/", views.audit, name="audit"),
]
