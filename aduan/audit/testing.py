"""For tests only: do to the audit log what an attacker with database access can do.

The application cannot change or delete audit events (the model refuses, and so do the
database triggers of migration 0002). Tests of audit_verify need a tampered log, so these
helpers first lift the triggers as such an attacker would (PostgreSQL: ALTER TABLE ...
DISABLE TRIGGER, which the table's owner may do; SQLite: DROP TRIGGER), then write with a
plain QuerySet, which the model's guard does not cover, and put the triggers back.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models

from aduan.audit.models import AuditEvent, AuditHead

TABLE = AuditEvent._meta.db_table


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """Within the block the database accepts UPDATE and DELETE on audit events."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred check: run the pending foreign-key checks.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [TABLE],
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)


def _events() -> models.QuerySet:
    return models.QuerySet(model=AuditEvent)


def audit_tamper_update(pk: int, **fields) -> None:
    """Change stored fields of event `pk`, bypassing every guard."""
    with append_only_lifted():
        _events().filter(pk=pk).update(**fields)


def audit_tamper_delete(pk: int) -> None:
    """Delete event `pk`, bypassing every guard."""
    with append_only_lifted():
        _events().filter(pk=pk).delete()


def audit_tamper_swap(first_pk: int, second_pk: int) -> None:
    """Swap the stored order of two events: each takes the other's id."""
    spare = (_events().order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    with append_only_lifted():
        _events().filter(pk=first_pk).update(id=spare)
        _events().filter(pk=second_pk).update(id=first_pk)
        _events().filter(pk=spare).update(id=second_pk)


def audit_tamper_head(last_hash: str) -> None:
    """Point the chain's head at `last_hash` (the head is not append-only: no guard)."""
    AuditHead.objects.filter(pk=1).update(last_hash=last_hash)
