"""The search index of the library's articles, in the database's own full-text search:
on SQLite a contentless FTS5 table of the tokens (``ascii`` tokenizer: the Python tokens are
stored as they are), kept in step with ``library_searchentry`` by triggers; on PostgreSQL
stored generated ``tsvector`` columns, ``to_tsvector('simple', …)`` of the heading and body
tokens (GIN-indexed, for matching) and of all three weighted A/B/C (for ``ts_rank_cd``).
Each token is one lexeme at its own position, so phrases of bigrams match as in the CLI's
index. The columns are not in the Django model: only the database computes and reads them."""

from django.db import migrations

_WORDS = "{row}.words || ' ' || char(57344)"  # every row also holds U+E000 (search.EVERY_ROW)

SQLITE = [
    "CREATE VIRTUAL TABLE library_search_fts USING fts5("
    "heading, body, words, content='', tokenize='ascii', detail=full)",
    "CREATE TRIGGER library_searchentry_insert AFTER INSERT ON library_searchentry BEGIN "
    "INSERT INTO library_search_fts (rowid, heading, body, words) "
    f"VALUES (new.provision_id, new.heading, new.body, {_WORDS.format(row='new')}); END",
    "CREATE TRIGGER library_searchentry_delete AFTER DELETE ON library_searchentry BEGIN "
    "INSERT INTO library_search_fts (library_search_fts, rowid, heading, body, words) "
    f"VALUES ('delete', old.provision_id, old.heading, old.body, {_WORDS.format(row='old')}); "
    "END",
    "CREATE TRIGGER library_searchentry_update AFTER UPDATE ON library_searchentry BEGIN "
    "INSERT INTO library_search_fts (library_search_fts, rowid, heading, body, words) "
    f"VALUES ('delete', old.provision_id, old.heading, old.body, {_WORDS.format(row='old')}); "
    "INSERT INTO library_search_fts (rowid, heading, body, words) "
    f"VALUES (new.provision_id, new.heading, new.body, {_WORDS.format(row='new')}); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS library_searchentry_update",
    "DROP TRIGGER IF EXISTS library_searchentry_delete",
    "DROP TRIGGER IF EXISTS library_searchentry_insert",
    "DROP TABLE IF EXISTS library_search_fts",
]

_TSV = "to_tsvector('simple'::regconfig, {column})"
POSTGRESQL = [
    "ALTER TABLE library_searchentry"
    f" ADD COLUMN heading_tsv tsvector GENERATED ALWAYS AS ({_TSV.format(column='heading')}) STORED,"
    f" ADD COLUMN body_tsv tsvector GENERATED ALWAYS AS ({_TSV.format(column='body')}) STORED,"
    " ADD COLUMN ranked_tsv tsvector GENERATED ALWAYS AS ("
    f"setweight({_TSV.format(column='heading')}, 'A')"
    f" || setweight({_TSV.format(column='body')}, 'B')"
    f" || setweight({_TSV.format(column='words')}, 'C')) STORED",
    "CREATE INDEX library_searchentry_heading_tsv ON library_searchentry USING gin (heading_tsv)",
    "CREATE INDEX library_searchentry_body_tsv ON library_searchentry USING gin (body_tsv)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS library_searchentry_body_tsv",
    "DROP INDEX IF EXISTS library_searchentry_heading_tsv",
    "ALTER TABLE library_searchentry DROP COLUMN ranked_tsv, DROP COLUMN body_tsv,"
    " DROP COLUMN heading_tsv",
]


class VendorSQL(migrations.RunSQL):
    """RunSQL applied only on one database vendor (``sqlite``, ``postgresql``)."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, *args], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        VendorSQL("sqlite", SQLITE, SQLITE_REVERSE),
        VendorSQL("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
