"""The complaint page: the complaint, its timeline, every draft with its changes, messages."""

import pytest
from django.urls import reverse

from aduan.complaints.models import Message
from aduan.complaints.services import complaint_register
from aduan.desk.diff import text_diff_html
from aduan.desk.services import desk_decide, draft_save, info_request

from .conftest import as_, complaint_url, decide, open_step, page_text, save_draft


def test_the_page_shows_the_complaint(client, complaint_of_sari, wati):
    text = page_text(as_(client, wati).get(complaint_url(complaint_of_sari)))
    assert f"{complaint_of_sari.agenda_number} KTP-el belum jadi" in text
    assert "Sudah tiga minggu KTP-el saya belum jadi." in text
    assert "Situs web" in text and "KTP-el" in text
    assert "Dalam proses — Memverifikasi permasalahan" in text


def test_the_timeline_shows_every_step_with_who_decided_and_why(
    client, complaint_of_sari, budi, wati
):
    as_(client, budi)
    save_draft(client, complaint_of_sari, "Konsep pertama.")
    decide(client, complaint_of_sari, "approve:verify_kasi")
    as_(client, wati)
    decide(client, complaint_of_sari, "return:draft", note="Kurang sopan.")
    text = page_text(client.get(complaint_url(complaint_of_sari)))
    timeline = text[text.index("Riwayat langkah") :]
    assert "Budi Kirim konsep ke Kasi untuk diperiksa" in timeline
    assert "Wati Kembalikan ke Staf Kurang sopan." in timeline
    assert "terbuka" in timeline
    assert "/ baku 20 mnt" in timeline


def test_each_draft_version_shows_what_changed(client, complaint_of_sari, budi):
    as_(client, budi)
    save_draft(client, complaint_of_sari, "KTP-el sudah jadi.")
    save_draft(client, complaint_of_sari, "KTP-el Ibu sudah jadi.", kind="referral")
    html = client.get(complaint_url(complaint_of_sari)).content.decode()
    assert "Versi 2 · Rujukan ke instansi yang berwenang" in html
    assert "Versi 1 · Jawaban" in html
    assert "KTP-el<ins> Ibu</ins> sudah jadi." in html
    assert "<ins>KTP-el sudah jadi.</ins>" in html  # the first version is all new


def test_draft_text_with_html_is_escaped_in_the_diff(client, complaint_of_sari, budi):
    as_(client, budi)
    save_draft(client, complaint_of_sari, "Halo <b>Ibu</b>")
    save_draft(client, complaint_of_sari, "Halo <script>alert(1)</script>")
    html = client.get(complaint_url(complaint_of_sari)).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_diff_marks_deletions_and_keeps_line_breaks():
    html = text_diff_html("Satu dua\ntiga", "Satu\ntiga empat")
    assert html == "Satu<del> dua</del>\ntiga<ins> empat</ins>"


def test_the_diff_escapes_both_sides():
    assert text_diff_html("<a>", "<b>") == "<del>&lt;a&gt;</del><ins>&lt;b&gt;</ins>"


def test_messages_with_the_citizen_are_listed(client, complaint_of_sari, budi):
    info_request(complaint_id=complaint_of_sari.pk, actor=budi, body="Nomor KK?")
    Message.objects.create(
        complaint=complaint_of_sari,
        direction=Message.Direction.FROM_CITIZEN,
        body="3576010101010001",
        created_at=complaint_of_sari.received_at,
    )
    text = page_text(as_(client, budi).get(complaint_url(complaint_of_sari)))
    assert "Kepada pelapor" in text and "Nomor KK?" in text
    assert "Dari pelapor" in text and "3576010101010001" in text


def test_the_staff_decision_buttons_follow_the_sop_definition(client, complaint_of_sari, budi):
    html = as_(client, budi).get(complaint_url(complaint_of_sari)).content.decode()
    button = '<button name="edge" value="approve:verify_kasi" class="primary">'
    assert f"{button}Kirim konsep ke Kasi untuk diperiksa</button>" in html
    assert "return:" not in html


def test_the_kasi_has_approve_and_return_buttons_and_may_edit(
    client, complaint_of_sari, budi, wati
):
    as_(client, budi)
    save_draft(client, complaint_of_sari, "Konsep.")
    decide(client, complaint_of_sari, "approve:verify_kasi")
    html = as_(client, wati).get(complaint_url(complaint_of_sari)).content.decode()
    assert ">Setujui dan teruskan ke Kabid</button>" in html
    assert ">Kembalikan ke Staf</button>" in html
    assert ">Simpan konsep</button>" in html
    assert ">\nKonsep.</textarea>" in html


def test_a_subject_and_description_with_html_are_shown_as_text(client, sop_version, category, budi):
    complaint = complaint_register(
        category=category,
        subject="<img src=x onerror=alert(1)>",
        description="<script>alert(2)</script>",
        is_anonymous=True,
        phone="081234567890",
    )
    html = as_(client, budi).get(complaint_url(complaint)).content.decode()
    assert "<img src=x" not in html and "<script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_an_unknown_complaint_is_404(client, budi, sop_version):
    assert as_(client, budi).get(reverse("desk:complaint", args=[999])).status_code == 404
    for name in ("draft", "decide", "info_request"):
        assert client.post(reverse(f"desk:{name}", args=[999]), {}).status_code == 404


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_page_reads_in_a_fixed_number_of_queries(
    client, complaint_with_attachments, budi, wati, django_assert_max_num_queries, rounds
):
    complaint = complaint_with_attachments
    for i in range(rounds):
        draft_save(complaint_id=complaint.pk, actor=budi, kind="answer", body=f"Konsep {i}.")
        info_request(complaint_id=complaint.pk, actor=budi, body=f"Pertanyaan {i}?")
        assert desk_decide(step_id=open_step(complaint).pk, actor=budi, decision="approve").ok
        outcome = desk_decide(
            step_id=open_step(complaint).pk, actor=wati, decision="return", note=f"Ulang {i}."
        )
        assert outcome.ok
    as_(client, budi)
    # session, user, complaint, steps, drafts, messages, attachments, roles, separation check,
    # the working calendar (2), the notices bell, the messages sent about it
    with django_assert_max_num_queries(13):
        response = client.get(complaint_url(complaint))
    assert f"Ulang {rounds - 1}." in page_text(response)
