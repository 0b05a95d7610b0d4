"""From the tracking page Sari answers a question with a photo, rates the answer, and
reopens a complaint whose answer did not solve it."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from aduan.complaints.models import Attachment, Complaint, ComplaintStep, Rating
from aduan.desk.services import desk_decide, draft_save, info_request
from aduan.public.tests.conftest import errors_beside, png_bytes, upload

pytestmark = pytest.mark.django_db


def carry_to_answer(complaint, budi, wati, agus, hadi):
    assert draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body="Sudah jadi.")
    for actor in (budi, wati, agus, hadi, budi):
        step = ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=actor, decision="approve")


@pytest.fixture
def answered(sari, filed, budi, wati, agus, hadi):
    complaint, code, secret = filed
    carry_to_answer(complaint, budi, wati, agus, hadi)
    sari.track(code, secret)
    return complaint, code


def test_sari_answers_a_question_with_a_photo(sari, filed, budi):
    complaint, code, secret = filed
    sari.track(code, secret)
    assert info_request(complaint_id=complaint.pk, actor=budi, body="Mohon foto tanda terima.")
    response = sari.client.post(
        f"/lacak/{code}/",
        {"body": "Terlampir.", "lampiran": [upload("tanda terima.png", png_bytes())]},
    )
    assert response.status_code == 302
    [attachment] = Attachment.objects.filter(message__isnull=False)
    assert attachment.complaint == complaint and attachment.original_name == "tanda terima.png"
    assert attachment.message.body == "Terlampir."
    complaint.refresh_from_db()
    assert complaint.awaiting_reply_since is None  # back with Staff, its clock running


def test_a_file_that_is_not_a_photo_or_pdf_is_refused_beside_the_field_and_the_text_kept(
    sari, filed, budi
):
    complaint, code, secret = filed
    sari.track(code, secret)
    info_request(complaint_id=complaint.pk, actor=budi, body="Mohon foto tanda terima.")
    response = sari.client.post(
        f"/lacak/{code}/",
        {"body": "Ini fotonya.", "lampiran": [upload("foto.exe", b"MZ\x90\x00" * 10)]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "bukan foto JPEG/PNG atau dokumen PDF" in errors_beside(page, "id_lampiran")
    assert "Ini fotonya." in page
    complaint.refresh_from_db()
    assert complaint.awaiting_reply_since is not None


def test_sari_rates_the_answer_and_the_form_then_thanks_her(sari, answered):
    complaint, code = answered
    page = sari.client.get(f"/lacak/{code}/").content.decode()
    assert "Beri penilaian" in page
    response = sari.client.post(
        f"/lacak/{code}/nilai/",
        {"score": "4", "skm_waktu": "3", "comment": "Terima kasih, cepat."},
        follow=True,
    )
    page = response.content.decode()
    assert "Terima kasih atas penilaian Anda." in page
    assert "Anda memberi nilai 4 dari 5" in page and "Beri penilaian" not in page
    rating = Rating.objects.get(complaint=complaint)
    assert (rating.score, rating.answers, rating.comment) == (
        4,
        {"waktu": 3},
        "Terima kasih, cepat.",
    )


def test_a_rating_without_a_score_is_asked_for_beside_it_and_the_comment_kept(sari, answered):
    complaint, code = answered
    response = sari.client.post(f"/lacak/{code}/nilai/", {"comment": "Lumayan."})
    page = response.content.decode()
    assert "Pilih nilai 1 sampai 5." in errors_beside(page, "id_score")
    assert "Lumayan." in page
    assert not Rating.objects.exists()


def test_sari_reopens_the_complaint_and_follows_the_new_one(sari, answered):
    complaint, code = answered
    page = sari.client.get(f"/lacak/{code}/").content.decode()
    assert "Buka kembali pengaduan" in page
    form = sari.client.get(f"/lacak/{code}/buka-kembali/")
    assert form.status_code == 200
    response = sari.client.post(
        f"/lacak/{code}/buka-kembali/", {"reason": "KTP belum ada di loket."}, follow=True
    )
    new = Complaint.objects.get(reopened_from=complaint)
    page = response.content.decode()
    assert new.tracking_code in page and "kode rahasia" in page
    assert f"Dibuka kembali dari pengaduan {code}." in page
    old = sari.client.get(f"/lacak/{code}/").content.decode()
    assert "sudah dibuka kembali sebagai" in old and new.tracking_code in old


def test_the_reopen_page_asks_one_thing_and_its_question_is_the_heading(sari, answered):
    complaint, code = answered
    page = sari.client.get(f"/lacak/{code}/buka-kembali/").content.decode()
    assert re.search(
        r'<h1 class="label-heading"><label class="label" for="id_reason">'
        r"Mengapa jawaban belum menyelesaikan masalah Anda\?</label></h1>",
        page,
    )
    assert page.count("<h1") == 1
    # The hint (until when) sits under the question and the box points to it.
    complaint.refresh_from_db()
    until = (complaint.closed_at + dt.timedelta(days=settings.REOPEN_DAYS)).astimezone(
        ZoneInfo("Asia/Jakarta")
    )
    hint = re.search(r'<p class="hint" id="id_reason_helptext">(.*?)</p>', page, re.S)
    assert f"sampai {until.day} " in hint.group(1)
    assert 'aria-describedby="id_reason_helptext"' in page


def test_a_reopening_without_a_reason_is_asked_for_beside_it(sari, answered):
    complaint, code = answered
    response = sari.client.post(f"/lacak/{code}/buka-kembali/", {"reason": " "})
    page = response.content.decode()
    assert "Tuliskan mengapa jawaban belum menyelesaikan masalah." in errors_beside(
        page, "id_reason"
    )
    assert not Complaint.objects.filter(reopened_from=complaint).exists()


def test_reopening_after_the_period_is_refused_plainly(sari, answered, settings, time_machine):
    import datetime as dt

    complaint, code = answered
    settings.REOPEN_DAYS = 3
    complaint.refresh_from_db()
    time_machine.move_to(complaint.closed_at + dt.timedelta(days=3, minutes=1))
    page = sari.client.get(f"/lacak/{code}/").content.decode()
    assert "Sudah jadi." in page and "Buka kembali pengaduan" not in page
    response = sari.client.post(f"/lacak/{code}/buka-kembali/", {"reason": "Belum selesai."})
    assert response.status_code == 409
    assert "sudah lewat" in response.content.decode()


def test_another_browser_cannot_rate_or_reopen(client_factory, answered):
    complaint, code = answered
    stranger = client_factory()
    assert stranger.post(f"/lacak/{code}/nilai/", {"score": "1"}).status_code == 302
    assert stranger.post(f"/lacak/{code}/buka-kembali/", {"reason": "x"}).status_code == 302
    assert not Rating.objects.exists()
    assert not Complaint.objects.filter(reopened_from=complaint).exists()


def test_officials_see_the_rating_and_the_link_between_the_two_complaints(
    client_factory, sari, answered, budi
):
    complaint, code = answered
    sari.client.post(f"/lacak/{code}/nilai/", {"score": "2", "comment": "Belum beres."})
    sari.client.post(f"/lacak/{code}/buka-kembali/", {"reason": "KTP belum ada."})
    new = Complaint.objects.get(reopened_from=complaint)
    desk = client_factory()
    desk.force_login(budi)
    first = desk.get(f"/meja/pengaduan/{complaint.pk}/").content.decode()
    assert "2 dari 5" in first and "Belum beres." in first
    assert f"/meja/pengaduan/{new.pk}/" in first
    second = desk.get(f"/meja/pengaduan/{new.pk}/").content.decode()
    assert "Dibuka kembali dari" in second and complaint.agenda_number in second
    assert "KTP belum ada." in second
