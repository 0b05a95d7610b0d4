"""Acting officials at the desk: the inbox and the decision buttons follow the appointment's
dates, and the timeline and the audit log say "Plt."/"Plh." for decisions taken as acting.

Kasi Wati is Plh. Kabid from 9 to 13 March 2026 while Kabid Agus is on leave; kasi Sinta,
of another section, verifies the complaints Wati then decides as Kabid. Agus is Plt. Kadis
while that post is vacant. Auditor Dewi reads the audit log.
"""

import datetime as dt

import pytest
from django.urls import reverse

from aduan.accounts.models import RoleGrant
from aduan.complaints.services import complaint_register
from aduan.desk.services import desk_decide, draft_save
from conftest import make_official

from .conftest import as_, complaint_url, decide, open_step, page_text

INBOX = reverse("desk:inbox")
KABID_STEP = "Memverifikasi konsep jawaban pengaduan (Kepala Bidang)"


@pytest.fixture
def wati_plh_kabid(wati):
    RoleGrant.objects.create(
        user=wati,
        role="kabid",
        kind="plh",
        starts_on=dt.date(2026, 3, 9),
        ends_on=dt.date(2026, 3, 13),
        note="Sprint 800/45/417.302/2026",
    )
    return wati


@pytest.fixture
def sinta(db):
    return make_official("sinta", "Sinta", "kasi")


def at(time_machine, moment: str) -> None:
    time_machine.move_to(moment, tick=False)


def approve(complaint, actor) -> None:
    assert desk_decide(step_id=open_step(complaint).pk, actor=actor, decision="approve").ok


def waiting_for_kabid(category, budi, sinta, subject: str):
    complaint = complaint_register(
        category=category, subject=subject, description="Uraian.", name="Sari Wulandari"
    )
    draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Konsep jawaban.")
    approve(complaint, budi)
    approve(complaint, sinta)
    return complaint


def test_wati_has_the_kabid_steps_in_her_inbox_only_during_her_appointment(
    client, time_machine, sop_version, category, budi, sinta, wati_plh_kabid
):
    at(time_machine, "2026-03-06 10:00 +0700")
    complaint = waiting_for_kabid(category, budi, sinta, "KTP-el belum jadi")
    text = page_text(as_(client, wati_plh_kabid).get(INBOX))
    assert "KTP-el belum jadi" not in text and "Tidak ada langkah yang menunggu Anda." in text
    page = page_text(client.get(complaint_url(complaint)))
    assert "Tindakan Anda" not in page

    at(time_machine, "2026-03-09 07:30 +0700")
    text = page_text(as_(client, wati_plh_kabid).get(INBOX))
    assert "KTP-el belum jadi" in text and f"{KABID_STEP}: 1" in text

    at(time_machine, "2026-03-14 07:30 +0700")
    text = page_text(as_(client, wati_plh_kabid).get(INBOX))
    assert "KTP-el belum jadi" not in text


def test_wati_decides_as_plh_kabid_and_the_timeline_keeps_saying_so_after_her_leave(
    client, time_machine, sop_version, category, budi, sinta, wati_plh_kabid
):
    at(time_machine, "2026-03-10 09:00 +0700")
    decided = waiting_for_kabid(category, budi, sinta, "Diputus Plh.")
    as_(client, wati_plh_kabid)
    assert "Tindakan Anda" in page_text(client.get(complaint_url(decided)))

    response = decide(client, decided, "approve:approve_kadis")

    assert response.status_code == 302
    assert decided.steps.get(step="verify_kabid").decided_as == "plh"
    text = page_text(client.get(complaint_url(decided)))
    assert "Wati Plh. Kepala Bidang" in text
    assert "Sinta Kepala Seksi" not in text  # a definitive decision shows the name alone

    at(time_machine, "2026-03-14 08:00 +0700")
    waiting = waiting_for_kabid(category, budi, sinta, "Menunggu Kabid")
    as_(client, wati_plh_kabid)
    assert "Wati Plh. Kepala Bidang" in page_text(client.get(complaint_url(decided)))
    assert "Tindakan Anda" not in page_text(client.get(complaint_url(waiting)))
    response = decide(client, waiting, "approve:approve_kadis")
    assert response.status_code == 409
    assert "Langkah ini hanya dapat diputus oleh Kepala Bidang." in page_text(response)


def test_the_timeline_and_the_audit_log_show_plt_for_the_acting_kadis(
    client, time_machine, sop_version, category, budi, sinta, wati_plh_kabid, agus, dewi
):
    RoleGrant.objects.create(
        user=agus,
        role="kadis",
        kind="plt",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    at(time_machine, "2026-03-10 09:00 +0700")
    complaint = waiting_for_kabid(category, budi, sinta, "Sampai ke Kadis")
    approve(complaint, wati_plh_kabid)

    response = decide(as_(client, agus), complaint, "approve:answer")

    assert response.status_code == 302
    text = page_text(client.get(complaint_url(complaint)))
    assert "Agus Plt. Kepala Dinas" in text and "Wati Plh. Kepala Bidang" in text
    log = page_text(as_(client, dewi).get(reverse("desk:audit")))
    assert "Agus Plt. Kepala Dinas" in log and "Wati Plh. Kepala Bidang" in log
    assert "Sinta Kepala Seksi" not in log


def test_a_plh_kabid_who_verified_as_kasi_is_refused_at_the_kabid_step(
    client, time_machine, complaint_of_sari, budi, wati_plh_kabid
):
    at(time_machine, "2026-03-10 09:00 +0700")
    draft_save(complaint_id=complaint_of_sari.pk, actor=budi, kind="answer", body="Konsep.")
    approve(complaint_of_sari, budi)
    approve(complaint_of_sari, wati_plh_kabid)  # as Kasi, her own post

    as_(client, wati_plh_kabid)
    text = page_text(client.get(INBOX))
    assert "1 langkah lain untuk peran Anda tidak ditampilkan" in text
    assert "Tindakan Anda" not in page_text(client.get(complaint_url(complaint_of_sari)))
    response = decide(client, complaint_of_sari, "approve:approve_kadis")
    assert response.status_code == 409
    assert "satu orang tidak boleh memutus di dua tingkat" in page_text(response)
    assert open_step(complaint_of_sari).step == "verify_kabid"
