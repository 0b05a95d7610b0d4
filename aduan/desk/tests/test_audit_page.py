"""Auditor Dewi reads the audit log, filters it, and sees whether the chain is intact."""

from django.urls import reverse

from aduan.audit.models import AuditEvent
from aduan.audit.services import audit_record
from aduan.audit.testing import audit_tamper_update
from aduan.complaints.services import complaint_register

from .conftest import as_, page_text

AUDIT = reverse("desk:audit")


def table_of(response) -> str:
    """The events table (the action filter above it lists every action too)."""
    return page_text(response).split("Sasaran Pengaduan Data")[1]


def test_the_log_is_newest_first_and_the_chain_intact(client, dewi, complaint_of_sari, budi):
    audit_record(action="test.later", actor=budi, complaint_id=complaint_of_sari.pk)
    response = as_(client, dewi).get(AUDIT)
    assert "Rantai utuh" in page_text(response)
    text = table_of(response)
    assert text.index("test.later") < text.index("complaint.registered")
    assert "Budi" in text


def test_filter_by_agenda_number_and_action(client, dewi, complaint_of_sari, category):
    other = complaint_register(
        category=category,
        subject="Lain",
        description="Lain.",
        is_anonymous=True,
        phone="0812345678",
    )
    audit_record(action="test.other", complaint_id=other.pk)
    as_(client, dewi)
    agenda = complaint_of_sari.agenda_number.lstrip("0")  # "1/2026" works as well as "00001/2026"
    text = page_text(client.get(AUDIT, {"agenda": agenda}))
    assert f"#{complaint_of_sari.pk}" in text and f"#{other.pk}" not in text
    text = table_of(client.get(AUDIT, {"action": "test.other"}))
    assert "test.other" in text and "complaint.registered" not in text


def test_a_badly_written_or_unknown_agenda_number_is_said_plainly(client, dewi, complaint_of_sari):
    as_(client, dewi)
    response = client.get(AUDIT, {"agenda": "abc"})
    assert response.status_code == 200
    assert "Tulis nomor agenda seperti 00012/2026." in page_text(response)
    text = page_text(client.get(AUDIT, {"agenda": "99999/2026"}))
    assert "Tidak ada pengaduan dengan nomor agenda itu." in text
    assert "Tidak ada peristiwa." in text


def test_a_changed_event_breaks_the_chain_and_is_named(client, dewi, complaint_of_sari, budi):
    audit_record(action="test.second", actor=budi, complaint_id=complaint_of_sari.pk)
    first = AuditEvent.objects.order_by("id").first()
    audit_tamper_update(first.pk, data={"forged": True})  # as with raw database access
    text = page_text(as_(client, dewi).get(AUDIT))
    assert "Rantai rusak" in text
    assert f"peristiwa #{first.pk} ({first.action}," in text


def test_the_log_is_paginated(client, dewi, sop_version):
    for i in range(60):
        audit_record(action=f"test.n{i:02d}")
    as_(client, dewi)
    response = client.get(AUDIT)
    assert "Halaman 1 dari 2" in page_text(response)
    text = table_of(response)
    assert "test.n59" in text and "test.n09" not in text
    text = table_of(client.get(AUDIT, {"page": 2}))
    assert "test.n09" in text and "test.n59" not in text


def test_a_superuser_may_read_the_log(client, django_user_model, sop_version):
    admin = django_user_model.objects.create_superuser("admin", password="x" * 12)
    assert as_(client, admin).get(AUDIT).status_code == 200
