"""Sari checks her answers and sends them once, however often the button is pressed."""

import pytest

from aduan.complaints.models import Complaint
from aduan.complaints.services import complaint_register
from aduan.public.models import PendingUpload
from aduan.public.tests.conftest import png_bytes, upload
from aduan.public.views import session_draft


def test_the_check_page_shows_every_answer_with_a_change_link(sari):
    sari.fill(is_confidential="on", files=[upload("ktp.png", png_bytes())])
    page = sari.check_page().content.decode()
    assert "Periksa jawaban Anda sebelum mengirim" in page
    for shown in (
        "KTP-el",
        "KTP-el belum jadi",
        "Sudah tiga minggu sejak perekaman",
        "Sari Wulandari",
        "+6281234567890",
        "sari@contoh.id",
        "ktp.png",
    ):
        assert shown in page
    for anchor in (
        "id_category",
        "id_subject",
        "id_description",
        "lampiran",
        "id_name",
        "id_phone",
        "id_email",
        "id_nik",
        "id_is_confidential",
    ):
        assert f'href="/lapor/#{anchor}"' in page
    assert page.count(">Ubah<") == 9


def test_the_nik_is_shown_masked(sari):
    sari.fill()
    page = sari.check_page().content.decode()
    assert "3576**********02" in page
    assert "3576014506900002" not in page


def test_without_answers_the_check_page_sends_sari_to_the_form(client, sop_version):
    response = client.get("/lapor/periksa/")
    assert response.status_code == 302
    assert response.url == "/lapor/"


def test_sending_registers_the_complaint_as_sari_typed_it(sari, category):
    sari.file_complaint()
    complaint = Complaint.objects.get()
    assert complaint.channel == Complaint.Channel.WEB
    assert (complaint.name, complaint.phone, complaint.email, complaint.nik) == (
        "Sari Wulandari",
        "+6281234567890",
        "sari@contoh.id",
        "3576014506900002",
    )
    assert complaint.category == category
    assert complaint.current_step == "draft"
    assert "lapor" not in sari.client.session  # the answers leave the session


def test_an_anonymous_complaint_is_stored_without_a_name(sari):
    sari.file_complaint(is_anonymous="on")
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert complaint.name == ""


def test_the_confirmation_gives_the_code_the_secret_and_one_link(sari):
    confirmation = sari.file_complaint()
    page = confirmation.content.decode()
    code, secret = sari.codes(confirmation)
    complaint = Complaint.objects.get()
    assert code == complaint.tracking_code
    assert len(secret.replace("-", "")) == 28  # 140 bits (aduan.lib.codes)
    assert "Pengaduan terkirim" in page
    assert f"http://testserver/lacak/{code}/{secret}/" in page
    assert complaint.agenda_number in page


def test_the_confirmation_says_what_happens_next_and_the_standard_time(sari):
    page = sari.file_complaint().content.decode()
    for step in (
        "Staf memverifikasi permasalahan Anda dan menyiapkan konsep jawaban.",
        "Kepala Seksi, lalu Kepala Bidang, memverifikasi konsep jawaban.",
        "Kepala Dinas menyetujui jawaban.",
        "Staf mengirim jawaban kepada Anda.",
    ):
        assert step in page
    assert "<strong>140 menit kerja</strong>" in page


def test_reloading_the_confirmation_shows_the_same_page_and_creates_nothing(sari):
    first = sari.file_complaint()
    again = sari.client.get("/lapor/terkirim/")
    assert sari.codes(again) == sari.codes(first)
    assert again["Cache-Control"].startswith("max-age=0")
    assert Complaint.objects.count() == 1


def test_a_double_click_on_send_creates_one_complaint(sari):
    sari.fill()
    key = sari.key()
    first = sari.send(key)
    second = sari.send(key)
    assert first.url == second.url == "/lapor/terkirim/"
    assert Complaint.objects.count() == 1
    assert Complaint.objects.get().submission_key == key


def test_going_back_and_sending_again_shows_the_same_confirmation(sari):
    sari.fill()
    key = sari.key()
    code, secret = sari.codes(sari.client.get(sari.send(key).url))
    # The browser's back button shows the old check page; she presses send again.
    again = sari.client.get(sari.send(key).url)
    assert sari.codes(again) == (code, secret)
    assert Complaint.objects.count() == 1


def test_two_tabs_sending_the_same_answers_create_one_complaint(sari):
    sari.fill()
    key = sari.key()
    first_tab, second_tab = sari.check_page(), sari.check_page()
    assert f'value="{key}"' in first_tab.content.decode()
    assert f'value="{key}"' in second_tab.content.decode()
    sari.send(key)
    sari.send(key)
    assert Complaint.objects.count() == 1


def test_the_same_key_sent_by_a_click_still_in_flight_creates_nothing_more(sari):
    # The first click's request has registered the complaint but not yet answered.
    sari.fill()
    data = session_draft(sari.client.session)["data"]
    complaint_register(
        category=sari_category(data),
        subject=data["subject"],
        description=data["description"],
        submission_key=sari.key(),
    )
    response = sari.send()
    assert response.url == "/lapor/terkirim/"
    assert Complaint.objects.count() == 1


def sari_category(data):
    from aduan.complaints.models import Category

    return Category.objects.get(pk=data["category"])


def test_a_stale_key_from_an_earlier_form_does_not_send(sari):
    sari.fill()
    response = sari.send("not-the-key")
    assert response.status_code == 200
    assert "Periksa jawaban Anda" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_a_new_complaint_after_sending_gets_a_new_key(sari):
    sari.file_complaint()
    first_key = Complaint.objects.get().submission_key
    sari.fill(subject="Perihal kedua")
    assert sari.key() != first_key
    sari.client.get(sari.send().url)
    assert Complaint.objects.count() == 2


def test_the_confirmation_without_a_complaint_sent_goes_to_the_form(client, sop_version):
    response = client.get("/lapor/terkirim/")
    assert response.status_code == 302
    assert response.url == "/lapor/"


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_pages_answer_only_get_and_post(client, sop_version, method):
    assert getattr(client, method)("/lapor/").status_code == 405


def test_every_form_is_protected_against_cross_site_posting(sop_version, sari_answers):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/lapor/", sari_answers).status_code == 403
    assert browser.post("/lapor/periksa/", {"kunci": "x"}).status_code == 403
    assert browser.post("/lacak/", {"code": "x", "secret": "y"}).status_code == 403
    assert PendingUpload.objects.count() == 0
