"""The login form, throttled."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form refusing attempts while the user name or address is locked."""

    error_messages: ClassVar[dict[str, str]] = {
        **AuthenticationForm.error_messages,
        "locked": "登录失败次数过多，请 %(minutes)d 分钟后再试。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.label_suffix = ""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if throttle.locked(username, address):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.failed(username, address)
            raise
        throttle.succeeded(username)
        return cleaned


class TokenForm(forms.Form):
    """A new API token: what it is for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    name = forms.CharField(
        label="用途",
        max_length=100,
        help_text="如：统计报送系统。令牌代表您本人访问数据接口，权限与您的账户相同。",
    )
