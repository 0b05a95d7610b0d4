from unittest import mock

from django.db.utils import OperationalError


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db):
    with mock.patch(
        "aduan.core.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_home_page_links_to_the_sop(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/sop/"' in response.content.decode()


def test_an_expired_form_gets_a_plain_page_not_djangos(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Halaman ini sudah kedaluwarsa" in response.content.decode()


def test_an_unknown_address_gets_a_plain_404(client, db, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
