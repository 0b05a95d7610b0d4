"""The database refuses UPDATE and DELETE on audit events (docs/audit.md).

PostgreSQL: a row trigger raises on UPDATE and DELETE; TRUNCATE (which the test framework
uses to empty tables) is a statement the trigger does not see. SQLite: a trigger refuses
every UPDATE, and every DELETE except of the oldest remaining event, so that emptying the
whole table (`manage.py flush`, which the test framework runs) still works; removing the
oldest events is then found by audit_verify (the first remaining one names a missing event).
SQLite drops a table's triggers when a migration rebuilds the table: a later migration that
alters this table must create them again (the tests fail if it does not).
"""

from django.db import migrations

TABLE = "audit_auditevent"

POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{TABLE} is append-only: % refused', TG_OP
            USING HINT = 'Audit events cannot be changed or deleted (docs/audit.md).';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
]
POSTGRESQL_BACKWARD = [
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
    WHEN old.id <> (SELECT min(id) FROM {TABLE})
    BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only: DELETE refused'); END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

STATEMENTS = {
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    "sqlite": (SQLITE_FORWARD, SQLITE_BACKWARD),
}


def _run(schema_editor, direction: int) -> None:
    for sql in STATEMENTS.get(schema_editor.connection.vendor, ((), ()))[direction]:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _run(schema_editor, 0)


def backwards(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "base_manager_name": "objects",
                "ordering": ["id"],
                "verbose_name": "peristiwa audit",
                "verbose_name_plural": "jejak audit",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
