"""ADUAN_RETENTION_DAYS after a complaint closes, its complainant's personal data and
attachments are erased; the anonymous record and every statistic stay."""

import datetime as dt
import hashlib
import io
import os

import pytest
from django.core.files import File
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aduan.audit.models import AuditEvent
from aduan.complaints.feedback import rating_save
from aduan.complaints.models import Attachment, Complaint, ComplaintStep, Message
from aduan.complaints.retention import ERASED_NAME, retention_sweep
from aduan.complaints.services import NewAttachment, complaint_register
from aduan.dashboard.selectors import dashboard_for
from aduan.desk.services import citizen_reply, desk_decide, draft_save, info_request
from aduan.notify.models import Delivery
from aduan.sop.engine import complaint_withdraw

pytestmark = pytest.mark.django_db

NIK = "3576014101900012"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RETENTION_DAYS = 1825
    return settings.MEDIA_ROOT


def ktp_photo(name="ktp sari.png") -> NewAttachment:
    digest = hashlib.sha256(PNG).hexdigest()
    return NewAttachment(
        name=name,
        content_type="image/png",
        size=len(PNG),
        sha256=digest,
        file=File(io.BytesIO(PNG)),
    )


def sari_files(category, **more) -> Complaint:
    return complaint_register(
        category=category,
        subject="KTP-el belum jadi",
        description="Sudah tiga minggu KTP-el saya belum jadi.",
        name="Sari Wulandari",
        phone="+6281234567890",
        email="sari@contoh.id",
        nik=NIK,
        attachments=[ktp_photo()],
        **more,
    )


def answer(complaint, budi, wati, agus, hadi) -> Complaint:
    assert info_request(complaint_id=complaint.pk, actor=budi, body="Mohon kirim nomor KK.")
    assert citizen_reply(complaint=complaint, body="KK saya 3576010101010001, alamat Jl. Mawar 3.")
    assert draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Sudah jadi.")
    for actor in (budi, wati, agus, hadi, budi):
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=actor, decision="approve")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED
    assert rating_save(complaint=complaint, score=4, comment="Terima kasih, Bu Sari di sini.")
    return complaint


@pytest.fixture
def office(sop_version, category, budi, wati, agus, hadi):
    """Sari's answered complaint, Rina's withdrawn one, and Tono's, still open."""
    sari = answer(sari_files(category), budi, wati, agus, hadi)
    rina = complaint_register(
        category=category,
        subject="Akta",
        description="Akta belum terbit.",
        name="Rina",
        nik="3576015202950003",
        attachments=[ktp_photo("akta rina.png")],
    )
    assert complaint_withdraw(complaint_id=rina.pk, note="Ditarik pelapor.")
    tono = sari_files(category)
    return sari, Complaint.objects.get(pk=rina.pk), tono


def years_later(days=1826) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_a_closed_complaint_past_retention_keeps_no_personal_data(office):
    sari, rina, _tono = office
    files = [a.file.path for a in Attachment.objects.filter(complaint=sari)]
    assert all(open(path, "rb").read() == PNG for path in files)
    steps = list(sari.steps.values_list("step", "decided_at", "decided_by"))

    counts = retention_sweep(now=years_later())

    assert counts.complaints == 2
    sari.refresh_from_db()
    assert (sari.name, sari.nik, sari.phone, sari.email) == (ERASED_NAME, "", "", "")
    assert sari.personal_data_erased_at is not None
    for attachment in Attachment.objects.filter(complaint=sari):
        assert attachment.original_name == "dihapus" and attachment.file.name == ""
        assert attachment.sha256 == hashlib.sha256(PNG).hexdigest()  # the record of it stays
    assert not any(os.path.exists(path) for path in files)
    reply = Message.objects.get(complaint=sari, direction=Message.Direction.FROM_CITIZEN)
    assert "3576010101010001" not in reply.body and "Mawar" not in reply.body
    question = Message.objects.get(complaint=sari, direction=Message.Direction.TO_CITIZEN)
    assert question.body == "Mohon kirim nomor KK."  # the office's words stay
    assert sari.rating.score == 4 and sari.rating.comment == ""
    for delivery in Delivery.objects.filter(complaint=sari, user__isnull=True):
        assert (delivery.to, delivery.body) == ("", "")
    # The public record stays: code, agenda number, category, dates, text, answer, steps.
    assert sari.subject == "KTP-el belum jadi" and sari.answer_text == "Sudah jadi."
    assert list(sari.steps.values_list("step", "decided_at", "decided_by")) == steps
    assert sari.agenda_number and sari.closed_at and sari.answer_minutes is not None
    rina.refresh_from_db()
    assert (rina.name, rina.nik) == (ERASED_NAME, "")


def test_open_and_recently_closed_complaints_are_untouched(office):
    sari, rina, tono = office
    counts = retention_sweep(now=years_later(days=1824))  # a day before their time
    assert counts.complaints == 0
    retention_sweep(now=years_later())
    tono.refresh_from_db()
    assert (tono.name, tono.nik) == ("Sari Wulandari", NIK)
    assert tono.attachments.get().original_name == "ktp sari.png"


def test_the_period_is_configurable(settings, office):
    settings.RETENTION_DAYS = 30
    assert retention_sweep(now=years_later(days=31)).complaints == 2


def test_the_sweep_is_audited_and_idempotent(office):
    sari, rina, _tono = office
    later = years_later()
    first = retention_sweep(now=later)
    again = retention_sweep(now=later)
    assert (first.complaints, again.complaints) == (2, 0)
    event = AuditEvent.objects.get(action="retention.anonymised")
    assert event.data["complaint_ids"] == [sari.pk, rina.pk]
    assert event.data["complaints"] == 2 and event.data["attachments"] == 2
    assert event.data["files"] == 2 and event.data["messages"] == 1


def test_the_dashboard_counts_are_the_same_after_erasure(office, hadi):
    now = years_later()
    first, last = (timezone.localdate() - dt.timedelta(days=40)), timezone.localdate()
    before = dashboard_for(user=hadi, first=first, last=last, now=now)
    assert any(v for chart in before.charts for s in chart.series for v in s.values)
    retention_sweep(now=now)
    after = dashboard_for(user=hadi, first=first, last=last, now=now)
    assert after.charts == before.charts


def test_the_command_runs_one_pass(office):
    out = io.StringIO()
    call_command("retention_sweep", stdout=out)
    assert "0 complaints" in out.getvalue()  # none closed five years ago yet


def test_officials_see_the_erased_record_and_no_file(client, office, budi):
    sari, _rina, _tono = office
    retention_sweep(now=years_later())
    client.force_login(budi)
    page = client.get(reverse("desk:complaint", args=[sari.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sari Wulandari" not in text and "ktp sari.png" not in text
    assert "KTP-el belum jadi" in text and ERASED_NAME in text
    attachment = sari.attachments.get()
    assert client.get(reverse("desk:attachment", args=[attachment.pk])).status_code == 404
