"""The registry as a population table: a SQL view with exactly the columns of
:mod:`huiqi.population.schema` (one row per enterprise, one column per stored fact of the
catalogue), so the compiled criteria (:func:`huiqi.rules.criteria.screen`) run on the
registry inside SQLite or PostgreSQL as they run on a population file.

Each enterprise's row holds its latest year of facts and, per qualification, the period with
the latest start (``<key>_from``, ``<key>_to``, ``<key>_first``); NULL when it has none —
the choice :func:`huiqi.enterprises.facts.facts_of` makes for one enterprise.

The view is created by this app's migration. SQLite refuses to rename a table a view reads
(Django rebuilds a table that way when a migration alters it) and PostgreSQL to change a
column a view reads, so the view is dropped before every ``migrate`` and created again after
it (:func:`drop_view`, :func:`restore_view`).
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from huiqi.enterprises.models import ENTERPRISE_FACTS, YEARLY_FACTS
from huiqi.population.schema import column_names
from huiqi.rules.facts import catalogue

VIEW = "screening_population"
"""The view's name."""
MIGRATION = ("screening", "0002_population_view")
"""The migration that creates the view."""

_ENTERPRISE = "enterprises_enterprise"
_YEARLY = "enterprises_yearlyfacts"
_QUALIFICATION = "enterprises_qualification"
_PERIOD = {"from": "valid_from", "to": "valid_to", "first": "first_recognised"}


def view_sql() -> str:
    """``CREATE VIEW`` of the population over the registry: the same statement for SQLite
    and PostgreSQL."""
    qualifications = catalogue().qualifications
    select: list[str] = []
    for name in column_names():
        fact = catalogue().facts[name]
        if name == "uscc" or name in ENTERPRISE_FACTS:
            select.append(f"e.{name}")
        elif name == "year" or name in YEARLY_FACTS:
            select.append(f"y.{name}")
        elif fact.qualification is not None:
            part = name.removeprefix(f"{fact.qualification}_")
            select.append(f"q_{fact.qualification}.{_PERIOD[part]} AS {name}")
        else:  # a stored fact the registry does not hold
            raise LookupError(f"企业名录中没有“{name}”（{fact.label}）")
    joins = [
        f"LEFT JOIN {_YEARLY} y ON y.enterprise_id = e.id AND y.year = "
        f"(SELECT MAX(y2.year) FROM {_YEARLY} y2 WHERE y2.enterprise_id = e.id)"
    ]
    for key in qualifications:
        q = f"q_{key}"
        joins.append(
            f"LEFT JOIN {_QUALIFICATION} {q} ON {q}.enterprise_id = e.id AND {q}.kind = '{key}'"
            f" AND {q}.valid_from = (SELECT MAX(p.valid_from) FROM {_QUALIFICATION} p"
            f" WHERE p.enterprise_id = e.id AND p.kind = '{key}')"
        )
    columns = ",\n  ".join(select)
    return f"CREATE VIEW {VIEW} AS\nSELECT\n  {columns}\nFROM {_ENTERPRISE} e\n" + "\n".join(joins)


DROP_SQL = f"DROP VIEW IF EXISTS {VIEW}"


def drop_view(using: str = "default", **kwargs: Any) -> None:
    """Drop the view before migrations run (a ``pre_migrate`` receiver)."""
    with connections[using].cursor() as cursor:
        cursor.execute(DROP_SQL)


def restore_view(using: str = "default", **kwargs: Any) -> None:
    """Create the view again after migrations ran, if this app's migration is applied (a
    ``post_migrate`` receiver)."""
    connection = connections[using]
    if MIGRATION not in MigrationRecorder(connection).applied_migrations():
        return
    with connection.cursor() as cursor:
        cursor.execute(DROP_SQL)
        cursor.execute(view_sql())
