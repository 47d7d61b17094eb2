"""The database refuses UPDATE and DELETE on case events (append-only history), per vendor:
SQLite triggers that RAISE(ABORT, …), a PostgreSQL trigger function."""

from django.db import migrations

_MESSAGE = "cases_caseevent is append-only"

_SQLITE = [
    f"""CREATE TRIGGER cases_caseevent_no_{op.lower()} BEFORE {op} ON cases_caseevent
    BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END;"""
    for op in ("UPDATE", "DELETE")
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS cases_caseevent_no_{op}" for op in ("update", "delete")]

_POSTGRESQL = [
    f"""CREATE FUNCTION cases_caseevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$""",
    """CREATE TRIGGER cases_caseevent_append_only BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only()""",
]
_POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS cases_caseevent_append_only ON cases_caseevent",
    "DROP FUNCTION IF EXISTS cases_caseevent_append_only()",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": _SQLITE, "postgresql": _POSTGRESQL}),
            _run({"sqlite": _SQLITE_DROP, "postgresql": _POSTGRESQL_DROP}),
        )
    ]
