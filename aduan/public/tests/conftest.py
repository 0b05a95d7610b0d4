"""Citizen Sari and what she types and attaches; files are stored in a temporary folder."""

import html
import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aduan.complaints.models import Complaint


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG image (grey pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(size: int = 2048) -> bytes:
    """A real JPEG photo (8×8 pixels) padded with comment segments so that the file is
    `size` bytes: what the checks read and the re-encoding decodes."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 90, 60)).save(buffer, "JPEG")
    photo = buffer.getvalue()
    padding, left = [], size - len(photo)
    while left > 0:  # each comment: FF FE, a 2-byte length, up to 65533 bytes
        piece = min(left, 60_000)
        if 0 < left - piece < 4:
            piece -= 4
        padding.append(b"\xff\xfe" + (piece - 2).to_bytes(2, "big") + b"\x00" * (piece - 4))
        left -= piece
    return photo[:2] + b"".join(padding) + photo[2:]


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def sari_answers(category):
    """What Sari types on the form: everything right."""
    return {
        "category": str(category.pk),
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
        "name": "Sari Wulandari",
        "phone": "0812 3456 7890",
        "email": "sari@contoh.id",
        "nik": "3576014506900002",
    }


@pytest.fixture
def sari(client, sop_version, sari_answers):
    """Sari's browser, with helpers for the steps of the form."""
    return Citizen(client, sari_answers)


class Citizen:
    def __init__(self, client, answers):
        self.client = client
        self.answers = answers

    def fill(self, files=(), **changes):
        data = {**self.answers, **changes}
        data = {key: value for key, value in data.items() if value is not None}
        if files:
            data["lampiran"] = list(files)
        return self.client.post("/lapor/", data)

    def check_page(self):
        return self.client.get("/lapor/periksa/")

    def key(self) -> str:
        return self.client.session["lapor"]["key"]

    def send(self, key=None):
        return self.client.post("/lapor/periksa/", {"kunci": key or self.key()})

    def file_complaint(self, files=(), **changes):
        """The whole path: form, check, send; returns the confirmation page."""
        response = self.fill(files=files, **changes)
        assert response.status_code == 302, response.content.decode()[:2000]
        self.check_page()
        return self.client.get(self.send().url)

    def codes(self, confirmation) -> tuple[str, str]:
        page = confirmation.content.decode()
        code = re.search(r'id="kode-lacak">([^<]+)<', page).group(1)
        secret = re.search(r'id="kode-rahasia">([^<]+)<', page).group(1)
        return code, secret

    def track(self, code: str, secret: str):
        return self.client.get(f"/lacak/{code}/{secret}/", follow=True)


@pytest.fixture
def filed(sari):
    """Sari has filed her complaint and holds its code and secret."""
    confirmation = sari.file_complaint()
    code, secret = sari.codes(confirmation)
    return Complaint.objects.get(tracking_code=code), code, secret


def errors_beside(page: str, field_id: str) -> str:
    """The text of the error message shown beside a field (empty when there is none)."""
    match = re.search(rf'<p class="error-message" id="{field_id}_error">(.*?)</p>', page, re.S)
    if not match:
        return ""
    text = re.sub(r"<[^>]+>", "", match.group(1)).replace("Kesalahan:", "")
    return html.unescape(re.sub(r"\s+", " ", text)).strip()


def summary_links(page: str) -> list[tuple[str, str]]:
    """The error summary's links: (target id, text)."""
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    if not match:
        return []
    return [
        (href, html.unescape(re.sub(r"\s+", " ", text)).strip())
        for href, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', match.group(0), re.S)
    ]


@pytest.fixture
def client_factory():
    """Another browser, with its own session."""
    from django.test import Client

    return Client


def fill_in_the_form(page, category: str = "KTP-el", subject: str = "KTP-el belum jadi"):
    """Sari's answers typed into the complaint form in a browser (Playwright), then on to
    the check-answers page."""
    page.get_by_label("Jenis layanan yang diadukan").select_option(label=category)
    page.get_by_label("Perihal", exact=True).fill(subject)
    page.get_by_label("Uraian pengaduan").fill("Sudah tiga minggu KTP-el saya belum jadi.")
    page.get_by_label("Nama lengkap").fill("Sari Wulandari")
    page.get_by_label("Nomor telepon / WhatsApp").fill("0812 3456 7890")
    page.get_by_role("button", name="Lanjutkan").last.click()
