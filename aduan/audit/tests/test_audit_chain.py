"""The audit log is a hash chain: a changed, removed or reordered event is found.

The changes are made as an attacker with database access would make them
(aduan.audit.testing lifts the append-only triggers first).
"""

from aduan.audit.models import AuditEvent, AuditHead
from aduan.audit.services import (
    CONTENT_CHANGED,
    EVENT_MISSING,
    HEAD_MISMATCH,
    ORDER_CHANGED,
    _digest_of,
    audit_chain_check,
    audit_record,
    audit_verify,
)
from aduan.audit.testing import (
    audit_tamper_delete,
    audit_tamper_head,
    audit_tamper_swap,
    audit_tamper_update,
)


def three_events(actor) -> list[AuditEvent]:
    return [audit_record(action=f"test.event{n}", actor=actor, data={"n": n}) for n in range(3)]


def test_an_untouched_log_verifies(budi):
    three_events(budi)
    assert audit_verify() == (True, None)
    assert audit_chain_check() == (3, None)


def test_an_empty_log_verifies(db):
    assert audit_chain_check() == (0, None)


def test_a_changed_event_breaks_the_chain_at_that_event(budi):
    events = three_events(budi)
    audit_tamper_update(events[1].pk, data={"n": 99})
    ok, first_bad = audit_verify()
    assert not ok and first_bad.pk == events[1].pk
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event.pk) == (1, CONTENT_CHANGED, events[1].pk)


def test_a_changed_name_of_the_actor_is_found_too(budi):
    events = three_events(budi)
    audit_tamper_update(events[0].pk, actor_label="Wati")
    _count, broken = audit_chain_check()
    assert (broken.reason, broken.event.pk) == (CONTENT_CHANGED, events[0].pk)


def test_a_changed_event_whose_hash_was_recomputed_is_found_at_the_next(budi):
    events = three_events(budi)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.data = {"n": 99}
    audit_tamper_update(events[1].pk, data=forged.data, hash=_digest_of(forged))
    _count, broken = audit_chain_check()
    assert (broken.reason, broken.event.pk) == (EVENT_MISSING, events[2].pk)


def test_a_removed_event_breaks_the_chain(budi):
    events = three_events(budi)
    audit_tamper_delete(events[1].pk)
    ok, first_bad = audit_verify()
    assert not ok and first_bad.pk == events[2].pk
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event.pk) == (1, EVENT_MISSING, events[2].pk)


def test_removing_the_first_event_is_found(budi):
    events = three_events(budi)
    audit_tamper_delete(events[0].pk)
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event.pk) == (0, EVENT_MISSING, events[1].pk)


def test_removing_the_last_event_is_found_too(budi):
    events = three_events(budi)
    audit_tamper_delete(events[-1].pk)
    assert audit_verify() == (False, None)
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event.pk) == (2, HEAD_MISMATCH, events[1].pk)


def test_removing_every_event_is_found_by_the_head(budi):
    events = three_events(budi)
    for event in reversed(events):
        audit_tamper_delete(event.pk)
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event) == (0, HEAD_MISMATCH, None)


def test_two_swapped_events_are_found_as_reordered(budi):
    events = three_events(budi)
    audit_tamper_swap(events[1].pk, events[2].pk)
    ok, first_bad = audit_verify()
    # The event now stored second is the one recorded third.
    assert not ok and (first_bad.pk, first_bad.action) == (events[1].pk, "test.event2")
    count, broken = audit_chain_check()
    assert (count, broken.reason) == (1, ORDER_CHANGED)


def test_swapping_the_first_two_events_is_found_as_reordered(budi):
    events = three_events(budi)
    audit_tamper_swap(events[0].pk, events[1].pk)
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event.action) == (0, ORDER_CHANGED, "test.event1")


def test_a_head_set_back_is_found(budi):
    events = three_events(budi)
    audit_tamper_head(events[1].hash)
    assert audit_verify() == (False, None)
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event.pk) == (3, HEAD_MISMATCH, events[2].pk)
    assert "event 2 of 3" in broken.detail


def test_a_head_naming_no_event_is_found(budi):
    events = three_events(budi)
    audit_tamper_head("f" * 64)
    count, broken = audit_chain_check()
    assert (count, broken.reason, broken.event.pk) == (3, HEAD_MISMATCH, events[2].pk)


def test_a_missing_head_is_found(budi):
    three_events(budi)
    AuditHead.objects.all().delete()
    _count, broken = audit_chain_check()
    assert (broken.reason, broken.detail) == (HEAD_MISMATCH, "the chain's head row is missing")


def test_each_event_names_who_did_what(budi):
    event = audit_record(action="test.event", actor=budi, target=budi, data={"why": "tes"})
    event.refresh_from_db()
    assert (event.actor, event.actor_label, event.target_type, event.target_id) == (
        budi,
        "Budi",
        "accounts.user",
        str(budi.pk),
    )


def test_appending_costs_the_same_few_queries(budi, django_assert_num_queries):
    """Lock the head, insert the event, move the head: inside the change's transaction, no
    savepoint of its own."""
    audit_record(action="test.first", actor=budi)
    with django_assert_num_queries(3) as captured:
        audit_record(action="test.event", actor=budi, data={"n": 1})
    assert [q["sql"].split()[0] for q in captured.captured_queries] == [
        "SELECT",
        "INSERT",
        "UPDATE",
    ]
