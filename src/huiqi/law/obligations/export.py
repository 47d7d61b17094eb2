"""The register as tables: CSV (UTF-8 with BOM, so Excel reads the Chinese), Excel (a sheet
per view, frozen header) and JSON."""

from __future__ import annotations

import csv
import io
import json

from huiqi.law.citations import node_path_label

from . import UNNAMED, Register
from .extract import Obligation

HEADERS = ("条款", "义务主体", "情态", "行为", "期限", "原文")
BEARER_HEADERS = ("归并主体", *HEADERS)
SHEETS = ("义务清单", "按义务主体")
FORMATS = ("csv", "xlsx", "json")


def row(ob: Obligation) -> list[str]:
    """One table row: 条款, 义务主体 (（承前） when inherited), 情态, 行为 (with its 除外
    clause), 期限, 原文."""
    if ob.bearer is None:
        bearer = UNNAMED
    else:
        bearer = ob.bearer.text + ("（承前）" if ob.bearer.inherited else "")
    action = ob.action + (f"（{ob.exception}除外）" if ob.exception else "")
    return [
        node_path_label(ob.node),
        bearer,
        ob.modality.label,
        action,
        ob.time_limit.text if ob.time_limit else "",
        ob.sentence,
    ]


def rows(register: Register, *, by: str | None = None) -> tuple[tuple[str, ...], list[list[str]]]:
    """Headers and rows of the document view, or of the per-bearer view (``by="bearer"``)."""
    if by == "bearer":
        return BEARER_HEADERS, [
            [party, *row(ob)] for party, obs in register.by_bearer().items() for ob in obs
        ]
    return HEADERS, [row(ob) for ob in register.obligations]


def to_csv(register: Register, *, by: str | None = None) -> str:
    """CSV text; write it with ``encoding="utf-8-sig"`` (see :func:`csv_bytes`)."""
    headers, body = rows(register, by=by)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(body)
    return buf.getvalue()


def csv_bytes(register: Register, *, by: str | None = None) -> bytes:
    return to_csv(register, by=by).encode("utf-8-sig")


def to_xlsx(register: Register) -> bytes:
    """A workbook with the sheets 义务清单 (document order) and 按义务主体 (by party)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    widths = {
        "条款": 18,
        "归并主体": 24,
        "义务主体": 30,
        "情态": 6,
        "行为": 60,
        "期限": 24,
        "原文": 80,
    }
    for index, (name, by) in enumerate(zip(SHEETS, (None, "bearer"), strict=True)):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        headers, body = rows(register, by=by)
        ws.append(list(headers))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for values in body:
            ws.append(values)
        ws.freeze_panes = "A2"
        for col, header in enumerate(headers, 1):
            ws.column_dimensions[ws.cell(1, col).column_letter].width = widths[header]
        for line in ws.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_json(register: Register, *, by: str | None = None) -> str:
    data: dict = {"doc": register.doc_id, "title": register.title}
    if by == "bearer":
        data["bearers"] = {
            party: [ob.as_dict() for ob in obs] for party, obs in register.by_bearer().items()
        }
    else:
        data["obligations"] = [ob.as_dict() for ob in register.obligations]
    return json.dumps(data, ensure_ascii=False, indent=2)
