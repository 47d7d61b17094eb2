"""URLs of the policy library: the public list, export and policy pages; the officials'
pages under manage/."""

from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.index, name="list"),
    path("export.xlsx", views.export, name="export"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/criteria/", views.criteria, name="criteria"),
    path("manage/basis/", views.basis_search, name="basis_search"),
    path("manage/basis/item/", views.basis_item, name="basis_item"),
    path("manage/<slug:slug>/", views.edit, name="edit"),
    path("manage/<slug:slug>/<int:number>/publish/", views.publish, name="publish"),
    path("manage/<slug:slug>/<int:number>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/", views.detail, name="detail"),
]
