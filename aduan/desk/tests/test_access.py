"""Who may open the desk: officials log in; visitors are sent to the login page; an account
without a role is told plainly why it cannot enter."""

import pytest
from django.urls import reverse

from .conftest import as_, page_text

PAGES = [
    ("desk:inbox", []),
    ("desk:complaints", []),
    ("desk:complaint_new", []),
    ("desk:complaint", [1]),
    ("desk:attachment", [1]),
    ("desk:audit", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_visitor_is_sent_to_the_login_page(client, db, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"/meja/masuk/?next={url}"


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_an_account_without_a_role_gets_a_plain_403(client, joko, name, args):
    response = as_(client, joko).get(reverse(name, args=args))
    assert response.status_code == 403
    assert "Akun Anda belum memiliki peran pada meja petugas." in page_text(response)


def test_desk_pages_are_not_cached(client, budi, sop_version):
    response = as_(client, budi).get(reverse("desk:inbox"))
    assert "no-store" in response["Cache-Control"]


def test_the_login_page_says_who_it_is_for(client, db):
    response = client.get(reverse("desk:login"))
    assert response.status_code == 200
    assert "Halaman ini untuk petugas Disdukcapil" in page_text(response)


def test_budi_logs_in_and_lands_on_his_inbox(client, budi, sop_version):
    response = client.post(
        reverse("desk:login"), {"username": "budi", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and response.url == "/meja/"
    text = page_text(client.get(response.url))
    assert "Kotak masuk" in text
    assert "Budi" in text and "Keluar" in text
    assert "Masuk petugas" not in text


def test_a_wrong_password_is_said_plainly(client, budi):
    response = client.post(reverse("desk:login"), {"username": "budi", "password": "salah"})
    assert response.status_code == 200
    assert "Ada yang perlu diperbaiki" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_login_returns_to_the_page_asked_for(client, budi, complaint_of_sari):
    url = reverse("desk:complaint", args=[complaint_of_sari.pk])
    response = client.post(
        reverse("desk:login") + f"?next={url}",
        {"username": "budi", "password": "correct horse battery", "next": url},
    )
    assert response.url == url


def test_logout_is_a_post_and_ends_the_session(client, budi, sop_version):
    as_(client, budi)
    assert client.get(reverse("desk:logout")).status_code == 405
    response = client.post(reverse("desk:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Masuk petugas" in page_text(client.get("/sop/"))


def test_the_public_pages_offer_the_official_login(client, sop_version):
    html = client.get("/sop/").content.decode()
    assert f'<a href="{reverse("desk:login")}">Masuk petugas</a>' in html


def test_only_auditors_open_the_audit_log(client, budi, sop_version):
    response = as_(client, budi).get(reverse("desk:audit"))
    assert response.status_code == 403
    assert "Jejak audit hanya dapat dibuka oleh auditor." in page_text(response)
    assert "Jejak audit" not in page_text(client.get(reverse("desk:inbox")))


def test_an_auditor_may_not_register_complaints(client, dewi, sop_version):
    response = as_(client, dewi).get(reverse("desk:complaint_new"))
    assert response.status_code == 403
    assert "Pencatatan pengaduan hanya dapat dilakukan" in page_text(response)
    assert "Catat pengaduan" not in page_text(client.get(reverse("desk:inbox")))


def test_an_auditor_reads_complaints_but_decides_nothing(client, dewi, complaint_of_sari):
    response = as_(client, dewi).get(reverse("desk:complaint", args=[complaint_of_sari.pk]))
    assert response.status_code == 200
    assert "Tindakan Anda" not in page_text(response)
