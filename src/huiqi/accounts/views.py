"""The API token page: a logged-in user lists, creates and revokes their own tokens.

A new token's key is shown once, in the response to its creation; only its digest is kept
(:class:`huiqi.accounts.models.ApiToken`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .forms import TokenForm
from .models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = key = None
    if request.method == "POST" and form.is_valid():
        created, key = services.issue_token(
            actor=request.user, user=request.user, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "created": created,
            "key": key,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        services.revoke_token(actor=request.user, token=token)
        messages.success(request, f"令牌“{token.name}”已吊销，使用它的请求将被拒绝。")
    return redirect("accounts:tokens")
