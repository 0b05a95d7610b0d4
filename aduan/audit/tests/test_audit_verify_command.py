"""`manage.py audit_verify`: "OK: N events" and exit 0, or the first broken link and exit 1."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError

from aduan.audit.services import audit_record
from aduan.audit.testing import (
    audit_tamper_delete,
    audit_tamper_head,
    audit_tamper_swap,
    audit_tamper_update,
)


@pytest.fixture
def events(budi):
    return [audit_record(action=f"test.event{n}", actor=budi, data={"n": n}) for n in range(4)]


def audit_verify() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_an_intact_log_says_ok_with_the_number_of_events(events):
    assert audit_verify() == (0, "OK: 4 events\n", "")


def test_an_empty_log_is_ok(db):
    assert audit_verify() == (0, "OK: 0 events\n", "")


def test_an_edited_event_is_named_as_changed(events):
    audit_tamper_update(events[2].pk, data={"n": 99})
    code, out, err = audit_verify()
    assert (code, out) == (1, "")
    assert err.startswith(f"BROKEN: content changed: event {events[2].pk} at ")
    assert ", action test.event2: " in err
    assert "(the 2 events before it are intact)" in err


def test_the_time_of_the_broken_event_is_shown_in_the_office_time_zone(events, settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    audit_tamper_update(events[0].pk, data={"n": 99})
    _code, _out, err = audit_verify()
    assert "+07:00, action test.event0" in err


def test_a_deleted_event_is_named_as_missing_at_the_event_after_it(events):
    audit_tamper_delete(events[1].pk)
    code, _out, err = audit_verify()
    assert code == 1
    assert err.startswith(f"BROKEN: event missing: event {events[2].pk} at ")
    assert "the event it follows is not in the log" in err


def test_reordered_events_are_named_as_reordered(events):
    audit_tamper_swap(events[1].pk, events[3].pk)
    code, _out, err = audit_verify()
    assert code == 1
    assert err.startswith(f"BROKEN: order changed: event {events[1].pk} at ")
    assert "action test.event3" in err


def test_an_altered_head_is_named_as_a_head_mismatch(events):
    audit_tamper_head(events[2].hash)
    code, _out, err = audit_verify()
    assert code == 1
    assert err.startswith(f"BROKEN: head mismatch: event {events[3].pk} at ")
    assert "(all 4 events are linked)" in err


def test_a_deleted_last_event_is_named_as_a_head_mismatch(events):
    audit_tamper_delete(events[3].pk)
    code, _out, err = audit_verify()
    assert code == 1
    assert err.startswith(f"BROKEN: head mismatch: event {events[2].pk} at ")
    assert "the latest events were deleted, or the head was altered" in err


def test_a_log_that_cannot_be_read_exits_with_2(db, monkeypatch):
    def unreachable():
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(
        "aduan.audit.management.commands.audit_verify.audit_chain_check", unreachable
    )
    code, out, err = audit_verify()
    assert (code, out) == (2, "")
    assert err == "ERROR: the audit log could not be read: could not connect to server\n"
