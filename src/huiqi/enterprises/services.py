"""Operations that change the registry; each runs in one transaction with its audit entries.

:func:`import_registry` loads a CSV or Excel file of enterprises with their yearly facts and
qualifications. Columns are named by the fact catalogue, by name (``revenue``) or Chinese label
(``营业收入``). Every row is checked; rows are upserted by 统一社会信用代码, so importing the
same file twice changes nothing. By default a file applies whole or not at all: one rejected
row and nothing is stored. In ``row_by_row`` mode the valid rows are stored and the rejected
ones reported. A caller may follow a long import through ``progress(done, total)``: rows
validated out of the file's rows, then, when the file is stored, rows stored out of the valid
rows (the same two phases the page of an import job shows).
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from huiqi.accounts import authz
from huiqi.audit import services as audit
from huiqi.audit.models import Action
from huiqi.rules.facts import Fact, catalogue

from .cells import CellError, parse_cell
from .errors import RegistryFileError
from .models import ENTERPRISE_FACTS, YEARLY_FACTS, Enterprise, Qualification, YearlyFacts
from .reading import format_of, read_table

REQUIRED = ("uscc", "name", "industry", "district", "founded")
"""Columns every registry file has; ``year`` too when it has yearly facts."""

_CHUNK = 5000
_BATCH = 2000  # rows per INSERT; Django lowers it to the database's parameter limit
_QUALIFICATION_FIELDS = ("valid_from", "valid_to", "first_recognised")
_PROGRESS_EVERY = 1000  # rows validated between two progress reports

Progress = Callable[[int, int], None]
"""``progress(done, total)``: called as rows are validated, then as they are stored."""


class Mode(StrEnum):
    ALL_OR_NOTHING = "all_or_nothing"
    ROW_BY_ROW = "row_by_row"


@dataclass(frozen=True)
class Rejection:
    """A rejected row: its number in the file (the header is row 1), the column as written in
    the file (empty when the row as a whole is rejected) and the reason."""

    row: int
    column: str
    reason: str


@dataclass
class Changes:
    created: int = 0
    updated: int = 0


@dataclass
class ImportReport:
    """What an import did: rows read, whether anything was stored, changes per kind of
    record (enterprises, yearly facts, qualifications) and the rejected rows."""

    mode: Mode
    rows: int = 0
    applied: bool = False
    enterprises: Changes = field(default_factory=Changes)
    yearly_facts: Changes = field(default_factory=Changes)
    qualifications: Changes = field(default_factory=Changes)
    rejections: list[Rejection] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """Records created or updated."""
        return sum(
            c.created + c.updated
            for c in (self.enterprises, self.yearly_facts, self.qualifications)
        )


REJECTION_HEADER = ("行号", "列", "原因")


def write_rejections(rejections: Iterable[Rejection], out: TextIO) -> None:
    """The rejected rows as CSV (行号, 列, 原因), for the user to fix the file."""
    writer = csv.writer(out)
    writer.writerow(REJECTION_HEADER)
    writer.writerows((r.row, r.column, r.reason) for r in rejections)


def import_registry(
    file: str | Path | BinaryIO,
    *,
    actor: Any,
    mode: Mode | str = Mode.ALL_OR_NOTHING,
    format: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV or Excel registry file (a path, or a binary file with ``format`` or a
    ``name``) as ``actor`` (an administrator, or None for the system). ``progress`` is told
    the rows validated out of the file's rows, then, when the file is stored, the rows stored
    out of the valid ones."""
    if actor is not None and not authz.can_import_registry(actor):
        raise PermissionDenied("只有管理员可以导入企业名录")
    mode = Mode(mode)
    if isinstance(file, str | Path):
        with open(file, "rb") as data:
            return _import(data, format or format_of(str(file)), actor, mode, progress)
    return _import(file, format or format_of(getattr(file, "name", "")), actor, mode, progress)


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _import(
    data: BinaryIO, fmt: str, actor: Any, mode: Mode, progress: Progress | None
) -> ImportReport:
    header, rows = read_table(data, fmt)
    columns = _columns(header)
    report = ImportReport(mode=mode)
    if progress is not None:
        rows = _reported(rows, progress)
    valid = list(_validated(rows, columns, report))
    if report.rows == 0:
        raise RegistryFileError("文件中没有数据行")
    if report.rejections and mode is Mode.ALL_OR_NOTHING:
        return report
    with transaction.atomic():
        _apply(valid, actor, report, progress)
    report.applied = True
    return report


def _reported(
    rows: Iterator[tuple[int, list[Any]]], progress: Progress
) -> Iterator[tuple[int, list[Any]]]:
    """The rows, read ahead to count them, reporting every :data:`_PROGRESS_EVERY` rows."""
    pending = deque(rows)
    total = len(pending)
    progress(0, total)
    done = 0
    while pending:
        yield pending.popleft()
        done += 1
        if done % _PROGRESS_EVERY == 0 or done == total:
            progress(done, total)


def _columns(header: list[str]) -> list[tuple[str, Fact | None]]:
    """Each column's header and its fact; None for blank trailing columns."""
    facts = catalogue().facts
    by_name = {f.name: f for f in facts.values() if f.stored} | {
        f.label: f for f in facts.values() if f.stored
    }
    derived = {f.name for f in facts.values() if not f.stored} | {
        f.label for f in facts.values() if not f.stored
    }
    columns: list[tuple[str, Fact | None]] = []
    unknown, computed, seen = [], [], {}
    for position, title in enumerate(header, start=1):
        if not title:
            columns.append((title, None))
            continue
        fact = by_name.get(title)
        if fact is None:
            (computed if title in derived else unknown).append(title)
            continue
        if fact.name in seen:
            raise RegistryFileError(
                f"第 {seen[fact.name]} 列和第 {position} 列都是“{fact.label}”（{fact.name}）"
            )
        seen[fact.name] = position
        columns.append((title, fact))
    if computed:
        raise RegistryFileError(f"这些列由平台计算，不能导入：{'、'.join(computed)}")
    if unknown:
        raise RegistryFileError(
            f"无法识别的列：{'、'.join(unknown)}。列名应为事实目录中的名称或中文名称，如 revenue 或 营业收入"
        )
    needed = list(REQUIRED)
    if any(name in seen for name in YEARLY_FACTS):
        needed.append("year")
    missing = [f"{facts[n].label}（{n}）" for n in needed if n not in seen]
    if missing:
        raise RegistryFileError(f"缺少必需的列：{'、'.join(missing)}")
    return columns


def _validated(
    rows: Iterator[tuple[int, list[Any]]],
    columns: list[tuple[str, Fact | None]],
    report: ImportReport,
) -> Iterator[_Row]:
    """The valid rows; each rejected one is added to ``report`` with every reason found."""
    titles = {fact.name: title for title, fact in columns if fact is not None}
    required = [n for n in (*REQUIRED, "year") if n in titles]
    first_of: dict[tuple[str, int | None], int] = {}
    enterprise_of: dict[str, _Row] = {}
    for number, cells in rows:
        report.rows += 1
        values: dict[str, Any] = {}
        found: list[Rejection] = []
        for (title, fact), raw in zip(columns, cells, strict=False):
            if fact is None:
                continue
            try:
                values[fact.name] = parse_cell(fact, raw)
            except CellError as exc:
                found.append(Rejection(number, title, str(exc)))
        rejected = {r.column for r in found}
        found.extend(
            Rejection(number, titles[name], "必填，不能为空")
            for name in required
            if values.get(name) is None and titles[name] not in rejected
        )
        if not found:
            found = list(_row_checks(number, values, titles, first_of, enterprise_of))
        if found:
            report.rejections.extend(found)
            continue
        row = _Row(number, values)
        first_of[(values["uscc"], values.get("year"))] = number
        enterprise_of.setdefault(values["uscc"], row)
        yield row


def _row_checks(
    number: int,
    values: dict[str, Any],
    titles: dict[str, str],
    first_of: dict[tuple[str, int | None], int],
    enterprise_of: dict[str, _Row],
) -> Iterator[Rejection]:
    """Checks across the cells of a row and across rows."""
    for q in catalogue().qualifications.values():
        start, end, first = (values.get(c) for c in q.columns)
        col_from, col_to, col_first = q.columns
        if (start is None) != (end is None):
            missing = col_to if end is None else col_from
            yield Rejection(
                number,
                titles.get(missing, missing),
                f"{q.label}的有效期起止日期必须同时填写",
            )
        elif start is not None and end < start:
            yield Rejection(number, titles[col_to], f"{q.label}的有效期止早于有效期起")
        elif first is not None and start is None:
            yield Rejection(
                number, titles[col_first], f"填写了{q.label}首次认定日期，但缺少有效期起止日期"
            )
        elif first is not None and first > start:
            yield Rejection(number, titles[col_first], f"{q.label}首次认定日期晚于有效期起")
    key = (values["uscc"], values.get("year"))
    if key in first_of:
        what = "同一企业同一年度" if key[1] is not None else "同一企业"
        yield Rejection(number, titles["uscc"], f"{what}的数据与第 {first_of[key]} 行重复")
        return
    earlier = enterprise_of.get(values["uscc"])
    if earlier is not None:
        for name, value in values.items():
            if name not in YEARLY_FACTS and name != "year" and earlier.values.get(name) != value:
                yield Rejection(number, titles[name], f"与第 {earlier.number} 行同一企业的值不一致")


def _apply(
    rows: list[_Row], actor: Any, report: ImportReport, progress: Progress | None = None
) -> None:
    """Upsert the valid rows, :data:`_CHUNK` at a time; write audit entries for what changed.

    An enterprise whose rows fall in two chunks is stored by the first and found unchanged by
    the second: its rows agree on every enterprise fact (:func:`_row_checks`)."""
    for index, chunk in enumerate(_chunks(rows)):
        entries: list[Any] = []
        enterprises = _upsert_enterprises(chunk, actor, report.enterprises, entries)
        _upsert_yearly_facts(chunk, enterprises, actor, report.yearly_facts, entries)
        _upsert_qualifications(chunk, enterprises, actor, report.qualifications, entries)
        audit.record(entries)
        if progress is not None:
            progress(index * _CHUNK + len(chunk), len(rows))


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _upsert_enterprises(
    rows: list[_Row], actor: Any, changes: Changes, entries: list[Any]
) -> dict[str, Enterprise]:
    given: dict[str, dict[str, Any]] = {}
    for row in rows:
        given.setdefault(row.values["uscc"], row.values)
    existing: dict[str, Enterprise] = {}
    for chunk in _chunks(list(given)):
        existing.update((e.uscc, e) for e in Enterprise.objects.filter(uscc__in=chunk))
    new: list[Enterprise] = []
    changed: list[Enterprise] = []
    fields: set[str] = set()
    for code, values in given.items():
        present = {n: values[n] for n in ENTERPRISE_FACTS if n in values}
        found = existing.get(code)
        if found is None:
            new.append(Enterprise(uscc=code, **present))
            continue
        updated = _update(found, present, actor, entries)
        if updated:
            fields.update(updated)
            changed.append(found)
    _save(Enterprise, new, changed, fields, ("uscc", *ENTERPRISE_FACTS), actor, changes, entries)
    existing.update((e.uscc, e) for e in new)
    return existing


def _upsert_yearly_facts(
    rows: list[_Row],
    enterprises: dict[str, Enterprise],
    actor: Any,
    changes: Changes,
    entries: list[Any],
) -> None:
    given = [r for r in rows if r.values.get("year") is not None]
    if not given:
        return
    existing: dict[tuple[int, int], YearlyFacts] = {}
    ids = sorted({enterprises[r.values["uscc"]].pk for r in given})
    for chunk in _chunks(ids):
        existing.update(
            ((f.enterprise_id, f.year), f)
            for f in YearlyFacts.objects.filter(enterprise_id__in=chunk)
        )
    new, changed, fields = [], [], set()
    for row in given:
        enterprise = enterprises[row.values["uscc"]]
        year = row.values["year"]
        present = {n: row.values[n] for n in YEARLY_FACTS if n in row.values}
        found = existing.get((enterprise.pk, year))
        if found is None:
            new.append(YearlyFacts(enterprise=enterprise, year=year, **present))
            continue
        updated = _update(found, present, actor, entries)
        if updated:
            fields.update(updated)
            changed.append(found)
    full = ("enterprise", "year", *YEARLY_FACTS)
    _save(YearlyFacts, new, changed, fields, full, actor, changes, entries)


def _upsert_qualifications(
    rows: list[_Row],
    enterprises: dict[str, Enterprise],
    actor: Any,
    changes: Changes,
    entries: list[Any],
) -> None:
    given: dict[tuple[int, str, Any], dict[str, Any]] = {}
    for row in rows:
        enterprise = enterprises[row.values["uscc"]]
        for key, q in catalogue().qualifications.items():
            start, end, first = (row.values.get(c) for c in q.columns)
            if start is not None:
                given[(enterprise.pk, key, start)] = {
                    "valid_from": start,
                    "valid_to": end,
                    "first_recognised": first,
                }
    if not given:
        return
    existing: dict[tuple[int, str, Any], Qualification] = {}
    for chunk in _chunks(sorted({k[0] for k in given})):
        existing.update(
            ((q.enterprise_id, q.kind, q.valid_from), q)
            for q in Qualification.objects.filter(enterprise_id__in=chunk)
        )
    new, changed = [], []
    for (enterprise_id, kind, _start), values in given.items():
        found = existing.get((enterprise_id, kind, values["valid_from"]))
        if found is None:
            new.append(Qualification(enterprise_id=enterprise_id, kind=kind, **values))
            continue
        if _update(found, values, actor, entries):
            changed.append(found)
    full = ("enterprise", "kind", *_QUALIFICATION_FIELDS)
    _save(Qualification, new, changed, set(_QUALIFICATION_FIELDS), full, actor, changes, entries)


def _save(
    model: type[models.Model],
    new: list[Any],
    changed: list[Any],
    fields: set[str],
    full: tuple[str, ...],
    actor: Any,
    changes: Changes,
    entries: list[Any],
) -> None:
    """Write new and changed records in bulk, audit the creations, count both."""
    model.objects.bulk_create(new, batch_size=_BATCH)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=500)
    entries.extend(audit.entry(actor, Action.CREATE, r, None, audit.snapshot(r, full)) for r in new)
    changes.created += len(new)
    changes.updated += len(changed)


def _update(obj: models.Model, values: dict[str, Any], actor: Any, entries: list[Any]) -> set[str]:
    """Set the fields of ``obj`` whose new value differs and audit the change; the names of
    the fields changed (empty when nothing differs)."""
    before = _diff(obj, values)
    if before:
        after = {n: values[n] for n in before}
        for name, value in after.items():
            setattr(obj, name, value)
        entries.append(audit.entry(actor, Action.UPDATE, obj, before, after))
    return set(before)


def _diff(obj: models.Model, values: dict[str, Any]) -> dict[str, Any]:
    """The stored values of the fields whose new value differs."""
    return {n: getattr(obj, n) for n, v in values.items() if getattr(obj, n) != v}
