"""The public home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huiqi.policies.models import PolicyVersion


def home(request: HttpRequest) -> HttpResponse:
    published = PolicyVersion.objects.published()
    latest = published.select_related("record").order_by("-published_at")[:6]
    return render(
        request,
        "portal/home.html",
        {"published_count": published.count(), "latest": latest},
    )
