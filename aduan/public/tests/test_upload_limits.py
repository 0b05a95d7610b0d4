"""What citizen Sari attaches, on the form, in her reply and through the API: images
redrawn without EXIF or GPS, limits said beside the file field with nothing else lost,
requests of a thousand parts answered 400, viruses refused, and files held while the
virus scanner is down until it is back."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from aduan.audit.models import AuditEvent
from aduan.complaints.models import Attachment
from aduan.desk.services import info_request
from aduan.lib import files as lib_files
from aduan.lib.tests.fake_clamd import EICAR, FakeClamd, closed_port_address
from aduan.lib.tests.test_uploads_reencoding import GPS_IFD, jpeg_with_gps, png_declaring
from aduan.public import uploads
from aduan.public.models import PendingUpload
from aduan.public.tests.conftest import PDF, errors_beside, png_bytes, upload

pytestmark = [
    pytest.mark.django_db,
    # Pillow warns of the 100-megapixel bomb on opening it; the check refuses it.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

INFECTED_PDF = b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n"
BOMB = png_declaring(10_000, 10_000)  # 100 megapixels in a few kilobytes


@pytest.fixture
def clamd(settings):
    with FakeClamd() as server:
        settings.CLAMD, settings.CLAMD_TIMEOUT = server.address, 2
        yield server


@pytest.fixture
def clamd_down(settings):
    settings.CLAMD, settings.CLAMD_TIMEOUT = closed_port_address(), 2


def stored(attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


def assert_no_gps(content: bytes):
    image = Image.open(io.BytesIO(content))
    assert not image.getexif().get_ifd(GPS_IFD)
    for secret in (b"Exif", b"KameraSari", b"rumah Sari"):
        assert secret not in content


# The public form.


def test_a_photo_with_its_gps_position_is_stored_without_it(sari):
    confirmation = sari.file_complaint(files=[upload("rumah.jpg", jpeg_with_gps())])
    code, _secret = sari.codes(confirmation)
    attachment = Attachment.objects.get(complaint__tracking_code=code)
    assert attachment.content_type == "image/jpeg"
    assert_no_gps(stored(attachment))
    assert attachment.size == len(stored(attachment))
    assert attachment.scan_state == "none"  # no scanner configured


def test_a_photo_named_like_a_web_page_is_stored_under_the_name_of_its_type(sari):
    payload = b"<html><script>alert(document.cookie)</script></html>"
    confirmation = sari.file_complaint(files=[upload("foto.html", jpeg_with_gps() + payload)])
    code, _secret = sari.codes(confirmation)
    attachment = Attachment.objects.get(complaint__tracking_code=code)
    assert attachment.original_name == "foto.jpg"
    assert b"<script>" not in stored(attachment)


def test_a_decompression_bomb_is_refused_beside_the_field_and_the_answers_kept(sari):
    response = sari.fill(subject="Antrean panjang", files=[upload("peta.png", BOMB)])
    page = response.content.decode()
    assert response.status_code == 200
    assert errors_beside(page, "lampiran") == (
        "Gambar “peta.png” berukuran 100 megapiksel; setiap gambar paling besar 40 "
        "megapiksel. Perkecil gambarnya, lalu lampirkan lagi."
    )
    assert 'value="Antrean panjang"' in page
    assert PendingUpload.objects.count() == 0


def test_a_request_larger_than_the_forms_files_refuses_its_files_and_keeps_the_answers(
    sari, monkeypatch
):
    monkeypatch.setattr(lib_files, "MAX_REQUEST_BYTES", 64 * 1024)
    monkeypatch.setattr(uploads, "MAX_REQUEST_BYTES", 64 * 1024)
    photos = [upload(f"foto-{n}.png", png_bytes() + b"\x00" * 30_000) for n in range(3)]
    page = sari.fill(subject="Antrean panjang", files=photos).content.decode()
    message = errors_beside(page, "lampiran")
    assert "Berkas “foto-0.png” tidak dilampirkan: semua berkas yang dikirim sekaligus " in (
        message
    )
    assert "paling besar 64,0 KB. Lampirkan lebih sedikit berkas setiap kali." in message
    assert "foto-2.png" in message
    assert 'value="Antrean panjang"' in page
    assert PendingUpload.objects.count() == 0


def test_a_request_far_beyond_any_form_is_refused_with_a_400_page(sari, monkeypatch):
    monkeypatch.setattr(lib_files, "MAX_REQUEST_BYTES_HARD", 64 * 1024)
    response = sari.fill(files=[upload("besar.pdf", PDF + b"\x00" * 100_000)])
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()


def thousand_fields() -> dict:
    return {f"isian{n}": "x" for n in range(1000)}


def thousand_files() -> dict:
    return {"lampiran": [upload(f"f{n}.png", png_bytes()) for n in range(1000)]}


@pytest.mark.parametrize("parts", [thousand_fields, thousand_files], ids=["fields", "files"])
def test_a_form_of_a_thousand_parts_gets_a_400_page_not_a_crash(client, sop_version, parts):
    response = client.post("/lapor/", parts())
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.content.decode()
    assert PendingUpload.objects.count() == 0


def test_a_pdf_carrying_the_eicar_test_virus_is_refused_and_recorded(sari, clamd):
    page = sari.fill(
        subject="Antrean panjang", files=[upload("surat.pdf", INFECTED_PDF)]
    ).content.decode()
    assert errors_beside(page, "lampiran") == (
        "Berkas “surat.pdf” tidak dilampirkan: pemindai virus menemukan Eicar-Test-Signature "
        "di dalamnya. Periksa perangkat Anda, lalu lampirkan berkas yang bersih."
    )
    assert 'value="Antrean panjang"' in page
    assert PendingUpload.objects.count() == 0
    event = AuditEvent.objects.get(action="upload.infected")
    assert event.data["signature"] == "Eicar-Test-Signature"
    assert event.data["name"] == "surat.pdf"


def test_with_the_scanner_up_a_clean_file_is_attached_as_clean(sari, clamd):
    confirmation = sari.file_complaint(files=[upload("surat.pdf", PDF)])
    code, _secret = sari.codes(confirmation)
    assert Attachment.objects.get(complaint__tracking_code=code).scan_state == "clean"
    assert PDF in clamd.streams  # what she sent, and again what was stored


def test_while_the_scanner_is_down_the_file_is_held_until_the_rescan_clears_it(
    sari, clamd_down, client_factory, budi, settings
):
    confirmation = sari.file_complaint(files=[upload("surat.pdf", PDF)])
    code, _secret = sari.codes(confirmation)
    attachment = Attachment.objects.get(complaint__tracking_code=code)
    assert attachment.scan_state == "held"

    desk = client_factory()
    desk.force_login(budi)
    complaint_page = reverse("desk:complaint", args=[attachment.complaint_id])
    download = reverse("desk:attachment", args=[attachment.pk])
    page = desk.get(complaint_page).content.decode()
    assert "Lampiran ditahan untuk pemeriksaan virus" in page
    assert f'href="{download}"' not in page
    refused = desk.get(download)
    assert refused.status_code == 403
    assert "ditahan untuk pemeriksaan virus" in refused.content.decode()
    assert not AuditEvent.objects.filter(action="attachment.viewed").exists()

    with FakeClamd() as server:  # the scanner is back
        settings.CLAMD = server.address
        call_command("attachments_rescan", stdout=io.StringIO())
    attachment.refresh_from_db()
    assert attachment.scan_state == "clean"
    assert f'href="{download}"' in desk.get(complaint_page).content.decode()
    assert desk.get(download).status_code == 200


def test_a_file_found_infected_by_the_rescan_is_quarantined_and_never_served(
    complaint_of_sari, client_factory, budi, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    attachment = Attachment(
        complaint=complaint_of_sari,
        original_name="surat.pdf",
        content_type="application/pdf",
        size=len(INFECTED_PDF),
        sha256="0" * 64,
        uploaded_at=complaint_of_sari.received_at,
        scan_state="held",
    )
    attachment.file.save("0" * 64, io.BytesIO(INFECTED_PDF), save=True)
    with FakeClamd() as server:
        settings.CLAMD = server.address
        call_command("attachments_rescan", stdout=io.StringIO())
    attachment.refresh_from_db()
    assert attachment.scan_state == "infected"
    desk = client_factory()
    desk.force_login(budi)
    page = desk.get(reverse("desk:complaint", args=[complaint_of_sari.pk])).content.decode()
    assert "Lampiran berisi virus dan dikarantina" in page
    response = desk.get(reverse("desk:attachment", args=[attachment.pk]))
    assert response.status_code == 403
    assert EICAR not in response.content


# The citizen's reply on the tracking page.


@pytest.fixture
def asked(sari, filed, budi):
    """The office asked Sari for a photo; her browser has the tracking page open."""
    complaint, code, secret = filed
    sari.track(code, secret)
    assert info_request(complaint_id=complaint.pk, actor=budi, body="Mohon foto tanda terima.")
    return complaint, code


def test_a_reply_photo_loses_its_gps_position(sari, asked):
    complaint, code = asked
    response = sari.client.post(
        f"/lacak/{code}/", {"body": "Terlampir.", "lampiran": [upload("resi", jpeg_with_gps())]}
    )
    assert response.status_code == 302
    [attachment] = Attachment.objects.filter(message__isnull=False)
    assert attachment.original_name == "resi.jpg"
    assert_no_gps(stored(attachment))


@pytest.mark.parametrize(
    "content, words",
    [
        (BOMB, "100 megapiksel; setiap gambar paling besar 40 megapiksel"),
        (INFECTED_PDF, "pemindai virus menemukan Eicar-Test-Signature"),
    ],
    ids=["bomb", "eicar"],
)
def test_a_reply_file_refused_is_said_beside_the_field_and_the_text_kept(
    sari, asked, clamd, content, words
):
    complaint, code = asked
    response = sari.client.post(
        f"/lacak/{code}/", {"body": "Ini fotonya.", "lampiran": [upload("resi.png", content)]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert words in errors_beside(page, "id_lampiran")
    assert "Ini fotonya." in page
    assert not Attachment.objects.filter(message__isnull=False).exists()


def test_a_reply_while_the_scanner_is_down_is_held(sari, asked, clamd_down):
    complaint, code = asked
    response = sari.client.post(
        f"/lacak/{code}/", {"body": "Terlampir.", "lampiran": [upload("surat.pdf", PDF)]}
    )
    assert response.status_code == 302
    assert Attachment.objects.get(message__isnull=False).scan_state == "held"


@pytest.mark.parametrize("parts", [thousand_fields, thousand_files], ids=["fields", "files"])
def test_a_reply_of_a_thousand_parts_gets_a_400(sari, asked, parts):
    complaint, code = asked
    response = sari.client.post(f"/lacak/{code}/", {"body": "x", **parts()})
    assert response.status_code == 400


# The API and Open311.


@pytest.fixture
def api_fields(category, sop_version):
    return {
        "category": category.code,
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi.",
        "name": "Sari Wulandari",
        "phone": "0812 3456 7890",
    }


def api_file(name, content):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_an_api_photo_loses_its_gps_position(client, api_fields):
    response = client.post(
        "/api/v1/complaints", {**api_fields, "attachments": [api_file("x", jpeg_with_gps())]}
    )
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    assert attachment.original_name == "x.jpg" and attachment.content_type == "image/jpeg"
    assert_no_gps(stored(attachment))


@pytest.mark.parametrize(
    "content, words",
    [
        (BOMB, "100 megapiksel"),
        (INFECTED_PDF, "Eicar-Test-Signature"),
        (jpeg_with_gps()[:300], "rusak atau tidak utuh"),
    ],
    ids=["bomb", "eicar", "broken"],
)
def test_an_api_file_refused_is_a_422_naming_it(client, api_fields, clamd, content, words):
    response = client.post(
        "/api/v1/complaints", {**api_fields, "attachments": [api_file("ktp.png", content)]}
    )
    assert response.status_code == 422
    assert words in response.json()["error"]["fields"]["attachments"][0]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("parts", ["fields", "files"])
def test_an_api_request_of_a_thousand_parts_gets_a_400(client, api_fields, parts):
    extra = (
        thousand_fields()
        if parts == "fields"
        else {"attachments": [api_file(f"{n}.png", png_bytes()) for n in range(1000)]}
    )
    response = client.post("/api/v1/complaints", {**api_fields, **extra})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"  # the API's shape, not a page


def test_an_open311_request_of_a_thousand_parts_gets_a_400(client, sop_version):
    response = client.post("/open311/v2/requests.json", thousand_fields())
    assert response.status_code == 400


def test_the_400_page_names_no_internals(client, sop_version):
    page = client.post("/lapor/", thousand_fields()).content.decode()
    assert not re.search(r"TooMany|Traceback|DATA_UPLOAD", page)


@pytest.mark.parametrize(
    "pixels, said", [(40_000_000, "40"), (40_000_001, "40,1"), (100_000_000, "100")]
)
def test_megapixels_are_said_rounded_up_so_over_the_limit_never_reads_as_the_limit(pixels, said):
    assert uploads._megapixels(pixels) == said
