"""Audit events cannot be changed or deleted: not through the ORM, the admin, or SQL.

PostgreSQL refuses UPDATE and DELETE with a trigger; SQLite with triggers as well, except
that it lets the oldest event go (so that `flush` can empty the table), which audit_verify
then reports.
"""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from aduan.audit.models import AppendOnlyError, AuditEvent
from aduan.audit.services import EVENT_MISSING, audit_chain_check, audit_record


@pytest.fixture
def events(budi):
    return [audit_record(action=f"test.event{n}", actor=budi, data={"n": n}) for n in range(3)]


def stored_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


ACTIONS = ["test.event0", "test.event1", "test.event2"]


def test_saving_a_stored_event_is_refused(events):
    event = AuditEvent.objects.get(pk=events[1].pk)
    event.action = "test.forged"
    with pytest.raises(AppendOnlyError, match="append-only"):
        event.save()
    assert stored_actions() == ACTIONS


def test_deleting_an_event_is_refused(events):
    with pytest.raises(AppendOnlyError):
        events[1].delete()
    assert stored_actions() == ACTIONS


def test_bulk_updates_and_deletes_are_refused(events):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=events[0].pk).update(action="test.forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="test.forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    events[2].action = "test.forged"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([events[2]], ["action"])
    assert stored_actions() == ACTIONS
    assert audit_chain_check() == (3, None)


def raw(sql: str, *params) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_refuses_to_change_an_event(events):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditevent SET action = %s WHERE id = %s", "test.forged", events[1].pk)
    with pytest.raises(DatabaseError, match="append-only"):
        raw("UPDATE audit_auditevent SET action = %s", "test.forged")
    assert stored_actions() == ACTIONS


def test_the_database_refuses_to_delete_a_later_event(events):
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent WHERE id = %s", events[1].pk)
    with pytest.raises(DatabaseError, match="append-only"):
        raw("DELETE FROM audit_auditevent WHERE id >= %s", events[1].pk)
    assert stored_actions() == ACTIONS


def test_deleting_the_oldest_event_is_refused_or_reported(events):
    """PostgreSQL refuses it; SQLite lets the oldest event go (flush needs that), and
    audit_verify then names the first remaining event as following a missing one."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            raw("DELETE FROM audit_auditevent WHERE id = %s", events[0].pk)
        assert stored_actions() == ACTIONS
    else:
        raw("DELETE FROM audit_auditevent WHERE id = %s", events[0].pk)
        _count, broken = audit_chain_check()
        assert (broken.reason, broken.event.pk) == (EVENT_MISSING, events[1].pk)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_emptying_the_whole_table_still_works_for_the_test_framework(budi):
    """TRUNCATE on PostgreSQL, DELETE FROM on SQLite: what `flush` runs between tests.
    (serialized_rollback and no post_migrate, as the other committed-transaction tests.)"""
    for n in range(3):
        audit_record(action=f"test.event{n}", actor=budi)
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert AuditEvent.objects.count() == 0


def test_the_admin_shows_events_but_offers_no_change_or_delete(admin_client, events):
    base = f"/admin/audit/auditevent/{events[0].pk}"
    page = admin_client.get(f"{base}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "test.event0" in text
    assert 'name="_save"' not in text and "/delete/" not in text
    assert admin_client.post(f"{base}/change/", {"action": "test.forged"}).status_code == 403
    assert admin_client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    listing = admin_client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200 and "delete_selected" not in listing.content.decode()
    assert stored_actions() == ACTIONS
