"""Fixtures for the desk: more officials, attachments, and helpers that post as a person does.

Personas (STYLE.md): citizen Sari, staff Budi, kasi Wati, kabid Agus, kadis Hadi; here also
auditor Dewi, Rudi who holds both kasi and kabid grants (acting Kabid), and Joko, who may log
in but holds no role.
"""

import html
import io
import re

import pytest
from django.core.files import File
from django.urls import reverse

from aduan.complaints.models import ComplaintStep
from conftest import make_official


@pytest.fixture
def dewi(db):
    return make_official("dewi", "Dewi", "auditor")


@pytest.fixture
def rudi(db):
    return make_official("rudi", "Rudi", "kasi", "kabid")


@pytest.fixture
def joko(db):
    return make_official("joko", "Joko")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def new_attachment(name: str, content: bytes, content_type: str):
    import hashlib

    from aduan.complaints.services import NewAttachment

    digest = hashlib.sha256(content).hexdigest()
    return NewAttachment(
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=digest,
        file=File(io.BytesIO(content), name=digest),
    )


@pytest.fixture
def complaint_with_attachments(sop_version, category, media):
    """Sari's complaint with a photo of her receipt and a PDF letter."""
    from aduan.complaints.services import complaint_register

    return complaint_register(
        category=category,
        subject="Foto tanda terima",
        description="Tanda terima terlampir.",
        name="Sari Wulandari",
        phone="+6281234567890",
        nik="3576014101900012",
        attachments=[
            new_attachment("tanda terima.png", PNG, "image/png"),
            new_attachment("surat.pdf", PDF, "application/pdf"),
        ],
    )


def open_step(complaint) -> ComplaintStep:
    return ComplaintStep.objects.get(complaint=complaint, decided_at__isnull=True)


def complaint_url(complaint) -> str:
    return reverse("desk:complaint", args=[complaint.pk])


def as_(client, user):
    """The test client, logged in as `user` (only one session at a time)."""
    client.force_login(user)
    return client


def save_draft(client, complaint, body: str, kind: str = "answer"):
    return client.post(reverse("desk:draft", args=[complaint.pk]), {"kind": kind, "body": body})


def decide(client, complaint, edge: str, note: str = "", step_id: int | None = None):
    """Press the decision button `edge` ("approve:verify_kasi", "return:draft")."""
    step_id = step_id if step_id is not None else open_step(complaint).pk
    return client.post(
        reverse("desk:decide", args=[complaint.pk]),
        {"step_id": step_id, "edge": edge, "note": note},
    )


def page_text(response) -> str:
    """The page as a person reads it: tags removed, whitespace collapsed."""
    markup = response.content.decode()
    text = re.sub(r"<[^>]+>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
