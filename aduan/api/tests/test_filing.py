"""Filing through the API: the web form's fields, rules, limits and messages, its
attachment checks, and one complaint per Idempotency-Key."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aduan.api.tests.conftest import error_of
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Attachment, Complaint
from aduan.public.tests.conftest import png_bytes

pytestmark = pytest.mark.django_db

PNG = png_bytes()
PDF = b"%PDF-1.4\n%%EOF\n"
EXE = b"MZ\x90\x00" + b"\x00" * 64


def file_(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_sari_files_with_a_photo_and_a_letter(client, sop_version, sari_fields):
    response = client.post(
        "/api/v1/complaints",
        {**sari_fields, "attachments": [file_("ktp.png", PNG), file_("surat.pdf", PDF)]},
    )
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(tracking_code=response.json()["tracking_code"])
    types = sorted(
        Attachment.objects.filter(complaint=complaint).values_list("content_type", flat=True)
    )
    assert types == ["application/pdf", "image/png"]
    assert AuditEvent.objects.filter(
        action="complaint.registered", complaint_id=complaint.pk
    ).exists()


def test_an_anonymous_complaint_keeps_no_name(client, sop_version, sari_fields):
    response = client.post(
        "/api/v1/complaints", {**sari_fields, "is_anonymous": "true", "is_confidential": "true"}
    )
    complaint = Complaint.objects.get(tracking_code=response.json()["tracking_code"])
    assert complaint.name == "" and complaint.is_anonymous and complaint.is_confidential


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"subject": ""}, "subject", "Tuliskan perihal pengaduan."),
        ({"subject": "x" * 201}, "subject", "Perihal paling banyak 200 karakter."),
        ({"description": "x" * 5001}, "description", "5.000"),
        ({"category": "tidak-ada"}, "category", "Pilih jenis layanan dari daftar."),
        ({"category": ""}, "category", "Pilih jenis layanan yang diadukan."),
        ({"name": ""}, "name", "anonim"),
        ({"phone": "", "email": ""}, "phone", "nomor telepon atau alamat surel"),
        ({"email": "sari@"}, "email", "alamat surel yang benar"),
        ({"nik": "123"}, "nik", "16"),
    ],
)
def test_the_web_forms_rules_and_words_apply(
    client, sop_version, sari_fields, changes, field, words
):
    response = client.post("/api/v1/complaints", {**sari_fields, **changes})
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert words in " ".join(error["fields"][field])
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "files, words",
    [
        ([file_("virus.pdf", EXE)], "bukan foto JPEG/PNG"),
        ([file_("kosong.png", b"")], "kosong"),
        ([file_(f"{i}.png", PNG) for i in range(6)], "paling banyak 5 berkas"),
    ],
)
def test_attachments_are_checked_like_the_web_forms(client, sop_version, sari_fields, files, words):
    response = client.post("/api/v1/complaints", {**sari_fields, "attachments": files})
    assert response.status_code == 422
    assert words in " ".join(error_of(response)["fields"]["attachments"])
    assert not Complaint.objects.exists()


def test_a_file_over_5_mb_is_refused(client, sop_version, sari_fields, settings):
    big = file_("besar.png", PNG + b"\x00" * (5 * 1024 * 1024))
    response = client.post("/api/v1/complaints", {**sari_fields, "attachments": [big]})
    assert response.status_code == 422 and "5" in error_of(response)["message"]


def test_the_same_idempotency_key_makes_one_complaint(client, sop_version, sari_fields):
    first = client.post("/api/v1/complaints", sari_fields, HTTP_IDEMPOTENCY_KEY="kirim-1")
    again = client.post("/api/v1/complaints", sari_fields, HTTP_IDEMPOTENCY_KEY="kirim-1")
    other = client.post("/api/v1/complaints", sari_fields, HTTP_IDEMPOTENCY_KEY="kirim-2")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["tracking_code"] == first.json()["tracking_code"]
    assert again.json()["secret"] is None and first.json()["secret"]
    assert Complaint.objects.count() == 2


def test_the_categories_are_listed_for_the_form(api, category):
    body = api.get("/categories").json()
    assert "ktp-el" in [item["code"] for item in body["items"]]
    assert body["count"] == len(body["items"]) or body["pages"] > 1
