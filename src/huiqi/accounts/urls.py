"""Login and logout (Django's authentication views, throttled) and the API token page."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import ThrottledAuthenticationForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="token_revoke"),
]
