"""The registry import: validation, upsert by 统一社会信用代码, all-or-nothing, audit."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.core.exceptions import PermissionDenied

from huiqi.accounts.models import Role
from huiqi.accounts.services import create_user
from huiqi.audit.models import Action, AuditEntry
from huiqi.enterprises.errors import RegistryFileError
from huiqi.enterprises.models import Enterprise, Qualification, YearlyFacts
from huiqi.enterprises.services import (
    REJECTION_HEADER,
    Mode,
    import_registry,
    write_rejections,
)
from huiqi.population import write
from huiqi.rules.facts import catalogue

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _registry() -> list[tuple]:
    """Everything stored, for comparing the registry before and after."""
    return [
        *Enterprise.objects.order_by("uscc").values_list(),
        *YearlyFacts.objects.order_by("id").values_list(),
        *Qualification.objects.order_by("id").values_list(),
    ]


def _with_bad_row(population: pl.DataFrame, path: Path) -> Path:
    """The population as CSV with the fourth data row's revenue negative (file row 5)."""
    rows = population.with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(-1.0)
        .otherwise(pl.col("revenue"))
        .alias("revenue")
    )
    return write(rows, path)


def test_import_stores_enterprises_facts_and_qualifications(
    registry_csv, population, administrator
):
    report = import_registry(registry_csv, actor=administrator)
    assert report.applied and not report.rejections
    assert report.rows == population.height
    assert Enterprise.objects.count() == population.height
    assert YearlyFacts.objects.count() == population.height
    held = sum(
        population[q.columns[0]].is_not_null().sum() for q in catalogue().qualifications.values()
    )
    assert Qualification.objects.count() == report.qualifications.created == held
    first = population.row(0, named=True)
    stored = Enterprise.objects.get(uscc=first["uscc"])
    assert (stored.name, stored.industry, stored.district) == (
        first["name"],
        first["industry"],
        first["district"],
    )
    facts = stored.yearly_facts.get(year=first["year"])
    assert facts.revenue == first["revenue"] and facts.employees == first["employees"]


def test_importing_the_same_file_twice_changes_nothing(registry_csv, administrator):
    import_registry(registry_csv, actor=administrator)
    before, entries = _registry(), AuditEntry.objects.count()
    again = import_registry(registry_csv, actor=administrator)
    assert again.applied and again.changed == 0
    assert _registry() == before
    assert AuditEntry.objects.count() == entries


def test_changed_values_are_updated_and_audited(tmp_path, population, administrator):
    import_registry(write(population, tmp_path / "a.csv"), actor=administrator)
    first = population.row(0, named=True)
    changed = population.with_columns(
        pl.when(pl.col("uscc") == first["uscc"])
        .then(pl.col("employees") + 5)
        .otherwise(pl.col("employees"))
        .alias("employees")
    )
    report = import_registry(write(changed, tmp_path / "b.csv"), actor=administrator)
    assert report.yearly_facts.updated == 1 and report.changed == 1
    facts = YearlyFacts.objects.get(enterprise__uscc=first["uscc"])
    assert facts.employees == first["employees"] + 5
    entry = AuditEntry.objects.about(facts).last()
    assert entry.action == Action.UPDATE and entry.actor == administrator
    assert entry.before == {"employees": first["employees"]}
    assert entry.after == {"employees": first["employees"] + 5}


def test_creations_are_audited_with_the_actor(registry_csv, population, administrator):
    import_registry(registry_csv, actor=administrator)
    enterprise = Enterprise.objects.get(uscc=population["uscc"][0])
    (entry,) = AuditEntry.objects.about(enterprise)
    assert entry.action == Action.CREATE and entry.actor_name == "admin"
    assert entry.before is None and entry.after["uscc"] == enterprise.uscc


def test_one_bad_row_stores_nothing_and_leaves_the_registry_as_it_was(
    tmp_path, population, administrator
):
    import_registry(write(population.head(10), tmp_path / "first.csv"), actor=administrator)
    before, entries = _registry(), AuditEntry.objects.count()
    changed = population.with_columns(pl.col("employees") + 1)
    report = import_registry(_with_bad_row(changed, tmp_path / "bad.csv"), actor=administrator)
    assert not report.applied and report.changed == 0
    assert [(r.row, r.column) for r in report.rejections] == [(5, "revenue")]
    assert "小于 0" in report.rejections[0].reason
    assert _registry() == before
    assert AuditEntry.objects.count() == entries


def test_row_by_row_stores_the_valid_rows(tmp_path, population, administrator):
    path = _with_bad_row(population, tmp_path / "bad.csv")
    report = import_registry(path, actor=administrator, mode=Mode.ROW_BY_ROW)
    assert report.applied and len(report.rejections) == 1
    assert Enterprise.objects.count() == population.height - 1
    assert not Enterprise.objects.filter(uscc=population["uscc"][3]).exists()


def test_every_bad_cell_is_reported_in_chinese_and_as_csv(tmp_path, administrator):
    lines = [
        "统一社会信用代码,企业名称,所属行业,所在地区,成立日期,财务数据所属年度,营业收入,高新技术企业有效期起,高新技术企业有效期止",
        "91220105MAJBDHAW47,甲公司,7222,220105,2023-08-13,2025,10,,",
        "91220105MAJBDHAW48,乙公司,9999,2201,2023/08/13,2025,abc,2024-01-01,",
        "91220105MAJBDHAW47,甲公司,7222,220105,2023-08-13,2025,10,,",
        ",丙公司,7222,220105,2023-08-13,2025,10,,",
    ]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_registry(path, actor=administrator)
    got = [(r.row, r.column, r.reason) for r in report.rejections]
    assert [(row, column) for row, column, _ in got] == [
        (3, "统一社会信用代码"),
        (3, "所属行业"),
        (3, "所在地区"),
        (3, "成立日期"),
        (3, "营业收入"),
        (4, "统一社会信用代码"),
        (5, "统一社会信用代码"),
    ]
    reasons = dict(((row, column), reason) for row, column, reason in got)
    assert "校验码不正确" in reasons[(3, "统一社会信用代码")]
    assert "GB/T 4754-2017" in reasons[(3, "所属行业")]
    assert "YYYY-MM-DD" in reasons[(3, "成立日期")]
    assert "与第 2 行重复" in reasons[(4, "统一社会信用代码")]
    assert reasons[(5, "统一社会信用代码")] == "必填，不能为空"
    assert not Enterprise.objects.exists()
    out = io.StringIO()
    write_rejections(report.rejections, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == REJECTION_HEADER
    assert rows[1][:2] == ["3", "统一社会信用代码"] and len(rows) == len(got) + 1


def test_qualification_periods_are_checked(tmp_path, administrator):
    header = "uscc,name,industry,district,founded,high_tech_from,high_tech_to,high_tech_first"
    row = "91220105MAJBDHAW47,甲公司,7222,220105,2023-08-13,{}"
    path = tmp_path / "q.csv"
    path.write_text(
        "\n".join([header, row.format("2025-01-01,2024-01-01,"), row.format(",,2020-01-01")]),
        encoding="utf-8",
    )
    report = import_registry(path, actor=administrator, mode=Mode.ROW_BY_ROW)
    assert [(r.row, r.column) for r in report.rejections] == [
        (2, "high_tech_to"),
        (3, "high_tech_first"),
    ]


def test_excel_files_with_chinese_headers(tmp_path, population, administrator):
    book = openpyxl.Workbook()
    sheet = book.active
    facts = catalogue().facts
    sheet.append([facts[name].label for name in population.columns])
    for row in population.head(5).iter_rows():
        sheet.append(list(row))
    path = tmp_path / "registry.xlsx"
    book.save(path)
    report = import_registry(path, actor=administrator)
    assert report.applied and not report.rejections
    assert Enterprise.objects.count() == 5 == YearlyFacts.objects.count()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("uscc,name,industry,district,founded,colour", "无法识别的列：colour"),
        ("uscc,name,industry,district", "缺少必需的列：成立日期（founded）"),
        ("uscc,name,industry,district,founded,employees", "缺少必需的列：财务数据所属年度（year）"),
        ("uscc,name,industry,district,founded,企业规模", "由平台计算，不能导入：企业规模"),
        ("uscc,统一社会信用代码,name,industry,district,founded", "都是“统一社会信用代码”"),
    ],
)
def test_file_level_errors(tmp_path, administrator, header, message):
    path = tmp_path / "f.csv"
    path.write_text(header + "\n91220105MAJBDHAW47\n", encoding="utf-8")
    with pytest.raises(RegistryFileError, match=message):
        import_registry(path, actor=administrator)


def test_unsupported_format(tmp_path, administrator):
    path = tmp_path / "registry.parquet"
    path.write_bytes(b"PAR1")
    with pytest.raises(RegistryFileError, match="不支持的文件格式"):
        import_registry(path, actor=administrator)


def test_only_administrators_import(registry_csv):
    user = create_user(
        actor=None,
        username="ent",
        password=PASSWORD,
        role=Role.ENTERPRISE,
        enterprise_uscc="91220105MAJBDHAW47",
    )
    with pytest.raises(PermissionDenied):
        import_registry(registry_csv, actor=user)
    assert not Enterprise.objects.exists()
