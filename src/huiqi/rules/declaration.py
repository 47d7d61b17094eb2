"""The 中小企业声明函 an SME gives when it takes part in government procurement.

《政府采购促进中小企业发展管理办法》（财库〔2020〕46号）第十一条 asks for the declaration in
the format of its 附1: one form for goods (the manufacturers), one for works and services (the
builders, the providers). The text is filled from size classifications
(:func:`huiqi.rules.size.classify_size`); the wording lives in ``data/declaration_letter.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from .citations import Citation, cite
from .errors import InvalidFacts
from .size import SizeResult

_BLANK = "　　"


class ProcurementKind(StrEnum):
    GOODS = "goods"
    WORKS = "works"
    SERVICES = "services"

    @property
    def label(self) -> str:
        return {"goods": "货物", "works": "工程", "services": "服务"}[self]


@dataclass(frozen=True)
class DeclaredEnterprise:
    """One line of the declaration: the item, and the enterprise that makes, builds or
    provides it, as classified. ``industry`` is the industry the procurement documents name;
    it defaults to the row of the standard the classification used."""

    subject: str
    enterprise: str
    classification: SizeResult
    industry: str | None = None


@dataclass(frozen=True)
class Declaration:
    kind: ProcurementKind
    title: str
    text: str
    citations: tuple[Citation, ...]


def declaration_letter(
    kind: ProcurementKind,
    purchaser: str,
    project: str,
    enterprises: Sequence[DeclaredEnterprise],
) -> Declaration:
    """财库〔2020〕46号 第十一条 and 附1: the declaration for goods, works or services, one
    line per enterprise. Every enterprise must be classified as medium, small or micro."""
    if not enterprises:
        raise InvalidFacts("声明函至少要列出一家企业")
    for item in enterprises:
        size = item.classification.decided()
        if not size.is_sme:
            raise InvalidFacts(
                f"{item.enterprise}划为大型企业，不能列入中小企业声明函"
                f"（{item.classification.citation.text}）"
            )
    form = _forms()[kind.value]
    lines = [form["title"], "", form["opening"].format(purchaser=purchaser, project=project)]
    lines += [
        form["item"].format(index=index, **_fields(item))
        for index, item in enumerate(enterprises, 1)
    ]
    lines += ["", *_forms()["closing"], "", *_forms()["signature"], "", _forms()["footnote"]]
    return Declaration(
        kind=kind,
        title=form["title"],
        text="\n".join(lines),
        citations=(cite("mof-2020-46", "art_11"), cite("mof-2020-46", "annex_1")),
    )


def _fields(item: DeclaredEnterprise) -> dict[str, str]:
    result = item.classification
    facts = result.facts
    assert result.size is not None
    return {
        "subject": item.subject,
        "industry": item.industry or result.group.name,
        "enterprise": item.enterprise,
        "employees": _number(facts.employees),
        "revenue": _number(facts.revenue),
        "total_assets": _number(facts.total_assets),
        "size": result.size.label,
    }


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return _BLANK
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


@cache
def _forms() -> dict[str, Any]:
    path = resources.files("huiqi.rules").joinpath("data", "declaration_letter.yaml")
    return yaml.safe_load(path.read_text("utf-8"))
