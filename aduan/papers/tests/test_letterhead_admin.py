"""The administrator keeps the letterhead and the letter numbering in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aduan.accounts.models import User
from aduan.audit.models import AuditEvent
from aduan.papers.models import Letterhead, letter_number_format_problem

URL = "/admin/papers/letterhead/1/change/"


@pytest.fixture
def admin_client(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    admin = User.objects.create_superuser("admin", "admin@example.test", "x-long-password")
    client.force_login(admin)
    Letterhead.current()
    return client


def form(**changes):
    data = {
        "government": "PEMERINTAH KOTA MOJOKERTO",
        "office": "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL",
        "address": "Jl. Contoh No. 1, Kota Mojokerto",
        "contact": "Telepon (0321) 000000",
        "city": "Mojokerto",
        "letter_number_format": "470/{seq:03d}/PGD/{month_roman}/{year}",
    }
    data.update(changes)
    return data


def test_a_letterhead_change_is_kept_and_audited(admin_client):
    response = admin_client.post(URL, form(address="Jl. Baru No. 2"))
    assert response.status_code == 302
    assert Letterhead.current().address == "Jl. Baru No. 2"
    event = AuditEvent.objects.get(action="letterhead.changed")
    assert event.data["address"] == "Jl. Baru No. 2"
    assert "address" in event.data["changed"]


def test_an_unknown_field_in_the_number_format_is_named_beside_it(admin_client):
    response = admin_client.post(URL, form(letter_number_format="{seq}/{bulan}/{year}"))
    assert response.status_code == 200
    assert "Kolom tidak dikenal: bulan" in response.content.decode()
    assert Letterhead.current().letter_number_format == "470/{seq:03d}/PGD/{month_roman}/{year}"


def test_a_number_format_without_the_sequence_is_refused(admin_client):
    response = admin_client.post(URL, form(letter_number_format="PGD/{year}"))
    assert "harus memuat {seq}" in response.content.decode()


def test_a_logo_must_be_an_image_file(admin_client):
    bad = SimpleUploadedFile("logo.html", b"<script>alert(1)</script>", "text/html")
    response = admin_client.post(URL, {**form(), "logo": bad})
    assert response.status_code == 200
    assert "PNG, JPEG atau SVG" in response.content.decode()
    assert not Letterhead.current().logo


def test_the_letterhead_cannot_be_deleted_or_added_twice(admin_client):
    assert admin_client.get("/admin/papers/letterhead/1/delete/").status_code == 403
    assert admin_client.get("/admin/papers/letterhead/add/").status_code == 403


@pytest.mark.parametrize(
    "fmt, problem",
    [
        ("{seq:03d}/{year}", None),
        ("{seq}/{agenda}/{month}/{year}", None),
        ("{seq}/{agenda}/{month}", "dan {year}"),
        ("{seq:zz}/{year}", "tidak dapat dipakai"),
        ("{seq/{year}", "tidak dapat dibaca"),
    ],
)
def test_letter_number_formats(fmt, problem):
    found = letter_number_format_problem(fmt)
    assert (found is None) if problem is None else (problem in found)
