"""Fixtures for the API: the personas with tokens, and a client that speaks JSON.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi; Joko may
log in but holds no role.
"""

import json

import pytest

from aduan.api.tokens import token_create
from aduan.complaints.models import ComplaintStep
from conftest import make_official


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def token_of(user) -> str:
    return token_create(user=user, name="tes", actor=user).secret


class Api:
    """The test client, speaking to /api/v1/ as one official (or anonymously)."""

    def __init__(self, client, secret: str | None = None):
        self.client, self.secret = client, secret

    def _headers(self, headers):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"} if self.secret else {}
        return {**extra, **(headers or {})}

    def get(self, path, data=None, **headers):
        return self.client.get("/api/v1" + path, data or {}, **self._headers(headers))

    def post(self, path, body=None, **headers):
        return self.client.post(
            "/api/v1" + path,
            json.dumps(body or {}),
            content_type="application/json",
            **self._headers(headers),
        )

    def as_(self, user) -> "Api":
        return Api(self.client, token_of(user))


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def sari_fields(category):
    return {
        "category": category.code,
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
        "name": "Sari Wulandari",
        "phone": "0812 3456 7890",
        "email": "sari@contoh.id",
        "nik": "3576014506900002",
    }


@pytest.fixture
def joko(db):
    return make_official("joko", "Joko")


def open_step(complaint) -> ComplaintStep:
    return ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)


def error_of(response) -> dict:
    """The error body, checked to have the one shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert body["error"]["message"]
    return body["error"]
