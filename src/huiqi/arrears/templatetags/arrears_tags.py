"""The transfer form on the case page of an arrears complaint."""

from __future__ import annotations

from typing import Any

from django import template

from huiqi.arrears.forms import TransferForm

register = template.Library()


@register.inclusion_tag("arrears/_transfer.html", takes_context=True)
def transfer_form(context: dict[str, Any], case: Any) -> dict[str, Any]:
    return {
        "case": case,
        "form": TransferForm(initial={"version": case.version}, prefix="transfer"),
        "csrf_token": context.get("csrf_token"),
    }
