"""The audit log is a hash chain: a changed or removed event is found."""

from aduan.audit.models import AuditEvent
from aduan.audit.services import audit_record, audit_verify


def test_an_untouched_log_verifies(budi):
    for n in range(3):
        audit_record(action="test.event", actor=budi, data={"n": n})
    assert audit_verify() == (True, None)


def test_a_changed_event_breaks_the_chain_at_that_event(budi):
    events = [audit_record(action="test.event", actor=budi, data={"n": n}) for n in range(3)]
    AuditEvent.objects.filter(pk=events[1].pk).update(data={"n": 99})
    ok, first_bad = audit_verify()
    assert not ok and first_bad.pk == events[1].pk


def test_a_removed_event_breaks_the_chain(budi):
    events = [audit_record(action="test.event", actor=budi, data={"n": n}) for n in range(3)]
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    ok, first_bad = audit_verify()
    assert not ok and first_bad.pk == events[2].pk


def test_removing_the_last_event_is_found_too(budi):
    events = [audit_record(action="test.event", actor=budi, data={"n": n}) for n in range(2)]
    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    assert audit_verify() == (False, None)


def test_each_event_names_who_did_what(budi):
    event = audit_record(action="test.event", actor=budi, target=budi, data={"why": "tes"})
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.target_type, event.target_id) == (
        budi,
        "Budi",
        "accounts.user",
        str(budi.pk),
    )
