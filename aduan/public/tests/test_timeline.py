"""The tracking page tells Sari, in four stages, where her complaint is in the SOP."""

import re

import pytest

from aduan.complaints.models import ComplaintStep
from aduan.desk.services import desk_decide, draft_save, info_request
from aduan.sop.engine import step_decide


def open_step(complaint):
    return ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)


def approve(complaint, official):
    outcome = desk_decide(step_id=open_step(complaint).pk, actor=official, decision="approve")
    assert outcome.ok, outcome.message


def stages(page: str) -> list[tuple[str, str, bool]]:
    """(title, state, has a date) for each stage, in order."""
    found = re.findall(
        r'<li class="stage stage-(\w+)".*?<span class="stage-title">(.*?)</span>(.*?)</li>',
        page,
        re.S,
    )
    return [(title, state, 'class="stage-date"' in rest) for state, title, rest in found]


def current(page: str) -> str:
    return next(title for title, state, _dated in stages(page) if state == "current")


@pytest.fixture
def tracking(sari, filed):
    """Sari's tracking page, opened with her link; call it to read it again."""
    complaint, code, secret = filed
    sari.track(code, secret)
    return lambda: sari.client.get(f"/lacak/{code}/").content.decode()


def test_a_new_complaint_is_received_and_being_verified(tracking):
    page = tracking()
    assert stages(page) == [
        ("Diterima", "done", True),
        ("Diverifikasi", "current", True),
        ("Ditelaah pimpinan", "todo", False),
        ("Dijawab", "todo", False),
    ]
    assert 'aria-current="step"' in page
    assert "Staf sedang memverifikasi permasalahan dan menyiapkan konsep jawaban." in page
    assert "waktu standar SOP 140 menit kerja" in page


def test_the_answer_is_promised_by_a_date_and_time_in_wib(sari, time_machine):
    """Filed on Friday 6 March 2026 at 15:00 WIB: 90 working minutes left that Friday
    (the office closes at 16:30), the other 50 on Monday from 07:30."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    time_machine.move_to(dt.datetime(2026, 3, 6, 15, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    confirmation = sari.file_complaint()
    due = "Senin, 9 Maret 2026 pukul 08.20 WIB"
    assert f"paling lambat <strong>{due}</strong>" in confirmation.content.decode()
    assert "6 Maret 2026 pukul 15.00 WIB" in confirmation.content.decode()  # received
    code, secret = sari.codes(confirmation)
    sari.track(code, secret)
    page = sari.client.get(f"/lacak/{code}/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert f"paling lambat <strong>{due}</strong>" in page
    sari.client.cookies["django_language"] = "en"
    page = sari.client.get(f"/lacak/{code}/").content.decode()
    assert "<strong>Monday 9 March 2026, 08:20 WIB</strong>" in page


def test_the_stage_follows_the_complaint_through_every_sop_step(
    filed, tracking, budi, wati, agus, hadi
):
    complaint = filed[0]
    draft_save(
        complaint_id=complaint.pk,
        actor=budi,
        kind="answer",
        body="KTP-el Anda sudah dicetak dan dapat diambil.",
    )
    seen = []
    for official in (budi, wati, agus, hadi):
        approve(complaint, official)
        page = tracking()
        seen.append(
            (current(page), re.search(r'<p class="stage-now">\s*(.*?)\s*</p>', page, re.S).group(1))
        )
    assert seen == [
        ("Ditelaah pimpinan", "Konsep jawaban sedang diperiksa oleh Kepala Seksi."),
        ("Ditelaah pimpinan", "Konsep jawaban sedang diperiksa oleh Kepala Bidang."),
        ("Ditelaah pimpinan", "Konsep jawaban sedang diperiksa oleh Kepala Dinas."),
        ("Ditelaah pimpinan", "Jawaban sudah disetujui Kepala Dinas dan segera dikirim."),
    ]
    assert "KTP-el Anda sudah dicetak" not in tracking()  # a draft is not an answer
    approve(complaint, budi)
    page = tracking()
    assert [(title, state) for title, state, _dated in stages(page)] == [
        ("Diterima", "done"),
        ("Diverifikasi", "done"),
        ("Ditelaah pimpinan", "done"),
        ("Dijawab", "current"),
    ]
    assert all(dated for _title, _state, dated in stages(page))


def test_the_answer_is_shown_once_answered(filed, tracking, budi, wati, agus, hadi):
    complaint = filed[0]
    draft_save(
        complaint_id=complaint.pk,
        actor=budi,
        kind="answer",
        body="KTP-el Anda sudah dicetak.\nSilakan ambil di loket 3.",
    )
    for official in (budi, wati, agus, hadi, budi):
        approve(complaint, official)
    page = tracking()
    assert "Jawaban atas pengaduan Anda" in page
    assert "<p>KTP-el Anda sudah dicetak.<br>Silakan ambil di loket 3.</p>" in page


def test_a_referral_says_the_complaint_went_to_another_agency(
    filed, tracking, budi, wati, agus, hadi
):
    complaint = filed[0]
    draft_save(
        complaint_id=complaint.pk,
        actor=budi,
        kind="referral",
        body="Pengaduan ini kami teruskan ke Dinas Kesehatan.",
    )
    for official in (budi, wati, agus, hadi, budi):
        approve(complaint, official)
    page = tracking()
    assert "Pengaduan Anda dirujuk ke instansi yang berwenang" in page
    assert "Dinas Kesehatan" in page


def test_a_returned_draft_goes_back_to_verification_without_showing_the_note_or_names(
    filed, tracking, budi, wati
):
    complaint = filed[0]
    draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Konsep pertama.")
    approve(complaint, budi)
    outcome = step_decide(
        step_id=open_step(complaint).pk,
        actor=wati,
        decision="return",
        note="Catatan internal: periksa data SIAK dulu.",
    )
    assert outcome.ok
    page = tracking()
    assert current(page) == "Diverifikasi"
    assert ("Ditelaah pimpinan", "todo", False) in stages(page)
    for hidden in ("Catatan internal", "Konsep pertama", "Budi", "Wati", "budi", "wati"):
        assert hidden not in page


def test_sari_answers_a_request_for_more_information(sari, filed, tracking, budi):
    complaint = filed[0]
    info_request(
        complaint_id=complaint.pk, actor=budi, body="Mohon sebutkan tanggal perekaman KTP-el Anda."
    )
    page = tracking()
    assert "Petugas memerlukan keterangan tambahan" in page
    assert "Mohon sebutkan tanggal perekaman KTP-el Anda." in page
    assert "Petugas menunggu keterangan tambahan dari Anda." in page
    assert "Budi" not in page

    response = sari.client.post(
        f"/lacak/{complaint.tracking_code}/", {"body": "Perekaman tanggal 2 Mei."}, follow=True
    )
    page = response.content.decode()
    assert "Terima kasih, keterangan Anda terkirim." in page
    assert "Petugas memerlukan keterangan tambahan" not in page  # the question is answered
    assert "Perekaman tanggal 2 Mei." in page
    assert "Mohon sebutkan tanggal perekaman KTP-el Anda." in page  # kept in the history
    complaint.refresh_from_db()
    assert complaint.awaiting_reply_since is None
    assert complaint.messages.filter(direction="in").get().body == "Perekaman tanggal 2 Mei."


def test_an_empty_or_overlong_reply_is_refused_beside_the_field(sari, filed, tracking, budi):
    from aduan.public.tests.conftest import errors_beside, summary_links

    complaint = filed[0]
    info_request(complaint_id=complaint.pk, actor=budi, body="Mohon kirim nomor antrean.")
    address = f"/lacak/{complaint.tracking_code}/"
    page = sari.client.post(address, {"body": "  "}).content.decode()
    assert errors_beside(page, "id_body") == "Tuliskan jawaban Anda."
    assert ("id_body", "Tuliskan jawaban Anda.") in summary_links(page)
    long_reply = "a" * 20_001
    page = sari.client.post(address, {"body": long_reply}).content.decode()
    assert "paling banyak 20.000 karakter" in errors_beside(page, "id_body")
    assert long_reply + "</textarea>" in page
    assert complaint.messages.filter(direction="in").count() == 0


def test_a_reply_without_the_secret_in_this_browser_is_not_taken(client, filed, budi):
    complaint = filed[0]
    info_request(complaint_id=complaint.pk, actor=budi, body="Mohon kirim nomor antrean.")
    response = client.post(f"/lacak/{complaint.tracking_code}/", {"body": "Palsu."})
    assert response.url == "/lacak/"
    assert complaint.messages.filter(direction="in").count() == 0
