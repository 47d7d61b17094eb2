"""Reading policy packs: YAML files of policies, validated entry by entry.

A pack file names a default jurisdiction and lists policies; each policy's criteria are written
in the Chinese text form and parsed here, its legal basis is resolved against the regulation
library (:func:`huiqi.rules.cite`), and every problem is reported with the file, the policy id
and the field, in Chinese. The format is described in ``docs/policies.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NoReturn

import yaml

from huiqi.law import bundled
from huiqi.rules.citations import Citation, CitationKind, cite
from huiqi.rules.criteria import Criteria, CriteriaError, parse
from huiqi.rules.errors import PackError, RulesError
from huiqi.rules.facts import FactType, catalogue
from huiqi.rules.jurisdictions import lineage

from .model import Amount, AmountKind, Benefit, BenefitKind, Mode, Policy, Window

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FIELDS = {"id", "version", "title", "jurisdiction", "department", "mode", "benefit"}
_FIELDS |= {"criteria", "basis", "window"}
_REQUIRED = ("id", "version", "title", "department", "mode", "benefit", "criteria", "basis")
_BENEFIT_FIELDS = {"kind", "description", "amount", "illustrative"}
_AMOUNT_KINDS = {"fixed": AmountKind.FIXED, "up_to": AmountKind.UP_TO, "rate": AmountKind.RATE}
_AMOUNT_FIELDS = {*_AMOUNT_KINDS, "of", "cap", "per"}
_PER = ("人", "年", "项", "次")
_OPEN = "长期"


class PolicyError(PackError):
    """A policy pack that breaks the format; the message names the file, the policy and the
    field. ``field`` is the field at fault (``criteria``, ``benefit.amount.cap``, ``basis 第2条``)
    or None for the entry as a whole, so a form can show the error next to its field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def load_policies(path: str | Path) -> tuple[Policy, ...]:
    """The policies of one pack file, or of every ``*.yaml`` file of a directory (in name
    order); an id given twice is an error."""
    where = Path(path)
    if where.is_dir():
        files: list[Traversable] = sorted(where.glob("*.yaml"))
        if not files:
            raise PolicyError(f"目录 {where} 中没有政策文件（*.yaml）")
    elif where.is_file():
        files = [where]
    else:
        raise PolicyError(f"找不到政策文件或目录：{where}")
    return _load_all((str(f), f) for f in files)


@cache
def bundled_policies() -> tuple[Policy, ...]:
    """The example policy pack shipped with huiqi (``huiqi/rules/policies/*.yaml``)."""
    root = resources.files("huiqi.rules.policies")
    files = sorted((f for f in root.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    return _load_all((f"huiqi/rules/policies/{f.name}", f) for f in files)


def _load_all(files: Iterable[tuple[str, Traversable]]) -> tuple[Policy, ...]:
    seen: dict[str, str] = {}
    out: list[Policy] = []
    for name, file in files:
        try:
            text = file.read_text("utf-8")
        except UnicodeDecodeError:
            raise PolicyError(f"{name}：不是 UTF-8 编码的文本") from None
        except OSError as exc:
            raise PolicyError(f"{name}：无法读取（{exc.strerror}）") from None
        for policy in load_text(text, name):
            if policy.id in seen:
                raise PolicyError(f"{name}：政策编号“{policy.id}”与 {seen[policy.id]} 重复")
            seen[policy.id] = name
            out.append(policy)
    return tuple(out)


def load_text(text: str, name: str = "<政策文件>") -> tuple[Policy, ...]:
    """The policies of one pack file's text; ``name`` is the file named in messages."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
        raise PolicyError(f"{name}：{where}不是有效的 YAML") from None
    if not isinstance(raw, Mapping) or not isinstance(raw.get("policies"), list):
        raise PolicyError(f"{name}：应当有 policies 列表")
    unknown = set(raw) - {"jurisdiction", "policies"}
    if unknown:
        raise PolicyError(f"{name}：未知的字段 {'、'.join(sorted(map(str, unknown)))}")
    default = raw.get("jurisdiction")
    out = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["policies"], start=1):
        policy = _Entry(name, i, entry, default).policy()
        if policy.id in seen:
            raise PolicyError(f"{name}：政策编号“{policy.id}”重复")
        seen.add(policy.id)
        out.append(policy)
    return tuple(out)


def load_entry(
    raw: Mapping[str, Any], name: str = "<政策>", jurisdiction: str | None = None
) -> Policy:
    """One policy from its pack entry (the mapping a pack file lists, as
    :meth:`Policy.to_entry` gives it); ``jurisdiction`` is the default when the entry has none.
    Raises :class:`PolicyError` naming the field at fault."""
    return _Entry(name, 1, raw, jurisdiction).policy()


class _Entry:
    """One policy entry of a file, read field by field; errors name where they are."""

    def __init__(self, file: str, index: int, raw: object, jurisdiction: object):
        self.file = file
        self.label = f"第{index}项政策"
        if not isinstance(raw, Mapping):
            self.fail(None, "应当是一个映射（id、title、criteria …）")
        self.raw: Mapping[str, Any] = raw
        if isinstance(raw.get("id"), str):
            self.label = f"政策“{raw['id']}”"
        self.default_jurisdiction = jurisdiction

    def fail(self, field: str | None, problem: str) -> NoReturn:
        where = f"的 {field}" if field else ""
        raise PolicyError(f"{self.file}：{self.label}{where}：{problem}", field)

    def policy(self) -> Policy:
        unknown = set(self.raw) - _FIELDS
        if unknown:
            self.fail(None, f"未知的字段 {'、'.join(sorted(map(str, unknown)))}")
        for name in _REQUIRED:
            if self.raw.get(name) is None:
                self.fail(name, "缺少此字段")
        code = self.jurisdiction()
        return Policy(
            id=self.id(),
            version=self.version(),
            title=self.text("title"),
            jurisdiction=code,
            department=self.text("department"),
            mode=self.mode(),
            benefit=self.benefit(),
            criteria=self.criteria(),
            basis=self.basis(code),
            window=self.window(),
        )

    def id(self) -> str:
        value = self.raw["id"]
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.fail(
                "id", f"应当由小写字母、数字和连字符组成（如 cc-rd-subsidy），而不是“{value}”"
            )
        return value

    def version(self) -> int:
        value = self.raw["version"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail("version", f"应当是正整数，而不是“{value}”")
        return value

    def text(self, field: str) -> str:
        value = self.raw[field]
        if not isinstance(value, str) or not value.strip():
            self.fail(field, "应当是非空的文字")
        return value.strip()

    def jurisdiction(self) -> str:
        value = self.raw.get("jurisdiction", self.default_jurisdiction)
        if value is None:
            self.fail("jurisdiction", "缺少此字段（或在文件开头写明 jurisdiction）")
        code = str(value)
        try:
            lineage(code)
        except RulesError as exc:
            self.fail("jurisdiction", str(exc))
        return code

    def mode(self) -> Mode:
        try:
            return Mode.from_label(str(self.raw["mode"]))
        except ValueError as exc:
            return self.fail("mode", str(exc))

    def benefit(self) -> Benefit:
        raw = self.raw["benefit"]
        if not isinstance(raw, Mapping):
            self.fail("benefit", "应当是映射（kind、description、amount、illustrative）")
        unknown = set(raw) - _BENEFIT_FIELDS
        if unknown:
            self.fail("benefit", f"未知的字段 {'、'.join(sorted(map(str, unknown)))}")
        try:
            kind = BenefitKind.from_label(str(raw.get("kind")))
        except ValueError as exc:
            self.fail("benefit.kind", str(exc))
        description = raw.get("description")
        if not isinstance(description, str) or not description.strip():
            self.fail("benefit.description", "应当是非空的文字")
        amount = self.amount(raw.get("amount"))
        illustrative = raw.get("illustrative")
        if amount is not None and not isinstance(illustrative, bool):
            self.fail(
                "benefit.illustrative",
                "写了金额就必须写明 illustrative：法规未规定的金额写 true（示例金额），"
                "法规明文规定的写 false",
            )
        if amount is None and illustrative:
            self.fail("benefit.illustrative", "没有金额（amount）时不能标为示例金额")
        return Benefit(kind, description.strip(), amount, bool(illustrative))

    def amount(self, raw: object) -> Amount | None:
        field = "benefit.amount"
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            self.fail(field, "应当是映射：fixed、up_to 或 rate（及 of、cap、per）")
        unknown = set(raw) - _AMOUNT_FIELDS
        if unknown:
            self.fail(field, f"未知的字段 {'、'.join(sorted(map(str, unknown)))}")
        kinds = [k for k in _AMOUNT_KINDS if k in raw]
        if len(kinds) != 1:
            self.fail(field, "fixed（定额）、up_to（最高额）、rate（比例）须写且只写一项")
        kind = _AMOUNT_KINDS[kinds[0]]
        value = self.number(f"{field}.{kinds[0]}", raw[kinds[0]])
        cap = self.number(f"{field}.cap", raw["cap"]) if "cap" in raw else None
        fact = raw.get("of")
        if kind is AmountKind.RATE:
            item = catalogue().facts.get(str(fact))
            if item is None or item.type is not FactType.DECIMAL or item.unit != "万元":
                self.fail(
                    f"{field}.of", f"比例须以万元计的事实为基数（如 rd_expense），而不是“{fact}”"
                )
            if value > 100:
                self.fail(f"{field}.rate", f"比例是百分数，应当不超过 100，而不是 {value}")
        elif fact is not None or cap is not None:
            self.fail(field, "只有比例（rate）才能写 of 和 cap")
        per = raw.get("per")
        if per is not None and per not in _PER:
            self.fail(f"{field}.per", f"应当是 {'、'.join(_PER)} 之一，而不是“{per}”")
        return Amount(kind, value, str(fact) if fact is not None else None, cap, per)

    def number(self, field: str, raw: object) -> Decimal:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            self.fail(field, f"应当是数字（万元），而不是“{raw}”")
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            return self.fail(field, f"应当是数字（万元），而不是“{raw}”")
        if not value.is_finite() or value <= 0:
            self.fail(field, f"应当是正数，而不是“{raw}”")
        return value

    def criteria(self) -> Criteria:
        raw = self.raw["criteria"]
        if not isinstance(raw, str):
            self.fail(
                "criteria", "应当是条件的中文文本（如“企业规模 属于 小型、微型 且 不是 失信”）"
            )
        try:
            return parse(raw.strip())
        except CriteriaError as exc:
            return self.fail("criteria", str(exc))

    def basis(self, code: str) -> tuple[Citation, ...]:
        raw = self.raw["basis"]
        if not isinstance(raw, list) or not raw:
            self.fail("basis", "应当是至少一条引用的列表，每条写作 {doc: 文件编号, at: 条款}")
        allowed = {j.code for j in lineage(code)}
        out = []
        for i, item in enumerate(raw, start=1):
            field = f"basis 第{i}条"
            if not isinstance(item, Mapping) or set(item) != {"doc", "at"}:
                self.fail(field, "应当写作 {doc: 文件编号, at: 条款编号（如 art_31/para_2）}")
            try:
                citation = cite(str(item["doc"]), str(item["at"]))
            except RulesError as exc:
                return self.fail(field, str(exc))
            if citation.kind is CitationKind.LAW:
                where = _document_jurisdiction(citation.source)
                if where not in allowed:
                    self.fail(
                        field,
                        f"{citation.text}属于 {where}，不在本政策的适用地区 {code} 及其上级之内",
                    )
            out.append(citation)
        return tuple(out)

    def window(self) -> Window:
        raw = self.raw.get("window", _OPEN)
        if raw == _OPEN:
            return Window()
        if not isinstance(raw, Mapping) or not raw or set(raw) - {"from", "to"}:
            self.fail("window", f"应当写作“{_OPEN}”或 {{from: 日期, to: 日期}}")
        start = self.date("window.from", raw.get("from"))
        end = self.date("window.to", raw.get("to"))
        if start and end and end < start:
            self.fail("window", f"截止日 {end.isoformat()} 早于开始日 {start.isoformat()}")
        return Window(start, end)

    def date(self, field: str, raw: object) -> date | None:
        if raw is None:
            return None
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw))
        except ValueError:
            return self.fail(field, f"应当是日期（如 2026-01-01），而不是“{raw}”")


def _document_jurisdiction(doc_id: str) -> str:
    """The jurisdiction of a bundled document already resolved by :func:`cite`."""
    return bundled().get(doc_id).jurisdiction.code
