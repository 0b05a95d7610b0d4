"""With DEBUG off, a failing request shows a plain page in Indonesian: what happened and
where to go, never a stack trace, a setting, a query or the error's own words."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import path

import aduan.urls
from aduan.core.tests.test_content_security_policy import inline_in

# What a failing view knows and a visitor must never read.
INSIDE = "RAHASIA-DALAM-7Q2X SELECT nik FROM complaints_complaint"


def bad_request(request):
    raise SuspiciousOperation(INSIDE)


def forbidden(request):
    raise PermissionDenied(INSIDE)


def missing(request):
    raise Http404(INSIDE)


def broken(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raise RuntimeError(INSIDE)


urlpatterns = [
    path("rusak/400/", bad_request),
    path("rusak/403/", forbidden),
    path("rusak/404/", missing),
    path("rusak/500/", broken),
    *aduan.urls.urlpatterns,
]
NEVER = (
    INSIDE.split()[0],
    "SELECT",
    "Traceback",
    "Exception",
    "RuntimeError",
    "SuspiciousOperation",
    "PermissionDenied",
    "DEBUG",
    "SECRET_KEY",
    settings.SECRET_KEY,
    "aduan.settings",
)


@pytest.fixture
def visitor(db):
    return Client(raise_request_exception=False)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (400, "Permintaan tidak dapat diproses"),
        (403, "Akses ditolak"),
        (404, "Halaman tidak ditemukan"),
        (500, "Maaf, terjadi kesalahan pada sistem"),
    ],
)
def test_a_failing_request_shows_a_plain_indonesian_page(visitor, status, heading):
    assert settings.DEBUG is False
    response = visitor.get(f"/rusak/{status}/")
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{heading}</h1>" in page
    assert '<html lang="id">' in page
    assert [word for word in NEVER if word in page] == []
    assert 'href="/"' in page  # a way back to the home page
    assert inline_in(response.content) == []
    assert response["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY


def test_a_request_for_a_host_the_site_does_not_serve_gets_the_plain_400_page(visitor):
    response = visitor.get("/", HTTP_HOST="penipu.example")
    assert response.status_code == 400
    assert "<h1>Permintaan tidak dapat diproses</h1>" in response.content.decode()
    assert "penipu.example" not in response.content.decode()


@pytest.mark.parametrize("name", ["400.html", "500.html"])
def test_the_pages_drawn_without_the_site_template_use_a_stylesheet_that_exists(visitor, name):
    """400 and 500 pages link their stylesheet by a plain address (no template tag that
    could fail while the site is failing), and the address serves the file."""
    page = (settings.BASE_DIR / "templates" / name).read_text()
    assert '<link rel="stylesheet" href="/static/css/error.css">' in page
    assert "{%" not in page  # no tag, no lookup: nothing that can fail
    response = visitor.get("/static/css/error.css")
    assert response.status_code == 200
    assert b"max-width" in b"".join(response.streaming_content)
