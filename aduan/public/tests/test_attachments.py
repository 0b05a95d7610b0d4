"""Sari attaches photos and documents: checked by their content, never asked for twice."""

from PIL import Image

from aduan.complaints.models import Attachment
from aduan.lib.files import MAX_BYTES
from aduan.public.models import PendingUpload
from aduan.public.tests.conftest import (
    EXE,
    PDF,
    errors_beside,
    jpeg_bytes,
    png_bytes,
    summary_links,
    upload,
)


def test_files_attached_to_a_form_with_errors_are_listed_and_not_asked_for_again(sari):
    page = sari.fill(
        subject="", files=[upload("ktp.png", png_bytes()), upload("surat.pdf", PDF)]
    ).content.decode()
    assert "Sudah dilampirkan:" in page
    assert "ktp.png" in page
    assert "surat.pdf" in page
    assert "Hapus" in page
    # She corrects the subject without choosing the files again: both are still there.
    assert sari.fill().status_code == 302
    check = sari.check_page().content.decode()
    assert "ktp.png" in check
    assert "surat.pdf" in check


def test_the_files_become_the_complaints_attachments_and_the_pending_copies_go(sari):
    confirmation = sari.file_complaint(files=[upload("ktp.png", png_bytes())])
    code, _secret = sari.codes(confirmation)
    attachment = Attachment.objects.get(complaint__tracking_code=code)
    assert attachment.original_name == "ktp.png"
    assert attachment.content_type == "image/png"
    # Re-encoded (aduan.lib.files): the same picture in a fresh PNG.
    stored = Image.open(attachment.file)
    assert (stored.format, stored.size, stored.getpixel((0, 0))) == ("PNG", (2, 2), 128)
    assert PendingUpload.objects.count() == 0


def test_a_program_renamed_pdf_is_refused_by_its_content_naming_the_file(sari):
    page = sari.fill(files=[upload("surat.pdf", EXE, "application/pdf")]).content.decode()
    message = (
        "Berkas “surat.pdf” bukan foto JPEG/PNG atau dokumen PDF. Lampirkan berkas dengan "
        "salah satu jenis itu."
    )
    assert errors_beside(page, "lampiran") == message
    assert ("lampiran", message) in summary_links(page)
    assert PendingUpload.objects.count() == 0
    assert "lapor" not in sari.client.session


def test_a_6_mb_photo_is_refused_naming_the_file_and_its_size(sari):
    page = sari.fill(files=[upload("antrean.jpg", jpeg_bytes(6 * 1024 * 1024))]).content.decode()
    assert errors_beside(page, "lampiran") == (
        "Berkas “antrean.jpg” berukuran 6,0 MB; setiap berkas paling besar 5,0 MB."
    )
    assert PendingUpload.objects.count() == 0


def test_a_photo_of_exactly_5_mb_is_accepted(sari):
    assert sari.fill(files=[upload("antrean.jpg", jpeg_bytes(MAX_BYTES))]).status_code == 302


def test_an_empty_file_is_refused(sari):
    page = sari.fill(files=[upload("kosong.pdf", b"")]).content.decode()
    assert errors_beside(page, "lampiran") == "Berkas “kosong.pdf” kosong."


def test_a_sixth_file_is_refused_and_the_five_are_kept(sari):
    files = [upload(f"foto-{n}.png", png_bytes()) for n in range(1, 7)]
    page = sari.fill(files=files).content.decode()
    assert errors_beside(page, "lampiran") == (
        "Berkas “foto-6.png” tidak dilampirkan: paling banyak 5 berkas per pengaduan."
    )
    assert PendingUpload.objects.count() == 5
    assert "Sudah 5 berkas. Hapus salah satu untuk mengganti." in page
    assert 'type="file"' not in page


def test_files_already_attached_count_towards_the_five(sari):
    sari.fill(subject="", files=[upload(f"foto-{n}.png", png_bytes()) for n in range(4)])
    page = sari.fill(
        subject="", files=[upload("kelima.png", png_bytes()), upload("keenam.png", png_bytes())]
    ).content.decode()
    assert "kelima.png" in page
    assert "“keenam.png” tidak dilampirkan" in page
    assert PendingUpload.objects.count() == 5


def test_good_files_are_kept_when_another_is_refused(sari):
    page = sari.fill(
        files=[upload("ktp.png", png_bytes()), upload("virus.jpg", EXE, "image/jpeg")]
    ).content.decode()
    assert "“virus.jpg” bukan foto JPEG/PNG" in page
    assert [p.original_name for p in PendingUpload.objects.all()] == ["ktp.png"]


def test_sari_removes_a_file_and_keeps_what_she_typed(sari):
    sari.fill(subject="", files=[upload("salah.png", png_bytes()), upload("benar.pdf", PDF)])
    token = PendingUpload.objects.get(original_name="salah.png").token
    page = sari.fill(subject="Perihal baru", hapus=token).content.decode()
    assert "salah.png" not in page
    assert "benar.pdf" in page
    assert 'value="Perihal baru"' in page
    assert "error-summary" not in page  # removing a file judges nothing
    assert [p.original_name for p in PendingUpload.objects.all()] == ["benar.pdf"]


def test_another_session_cannot_remove_or_use_sari_s_files(sari, client_factory, sari_answers):
    sari.fill(subject="", files=[upload("ktp.png", png_bytes())])
    pending = PendingUpload.objects.get()
    stranger = client_factory()
    stranger.post("/lapor/", {**sari_answers, "hapus": pending.token})
    assert PendingUpload.objects.filter(pk=pending.pk).exists()
    stranger.post("/lapor/", sari_answers)
    check = stranger.get("/lapor/periksa/").content.decode()
    assert "ktp.png" not in check
    assert "Tidak ada" in check


def test_a_file_name_with_html_is_shown_as_text(sari):
    name = "<img src=x onerror=alert(1)>.png"
    page = sari.fill(subject="", files=[upload(name, png_bytes())]).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;.png" in page
    assert "<img src=x" not in page


def test_a_stored_file_that_has_gone_is_asked_for_again_and_nothing_is_sent(sari):
    from aduan.complaints.models import Complaint

    sari.fill(files=[upload("ktp.png", png_bytes())])
    PendingUpload.objects.get().file.delete(save=False)  # e.g. cleaned up from the disk
    page = sari.send().content.decode()
    assert errors_beside(page, "lampiran") == (
        "Berkas “ktp.png” tidak dapat dibaca lagi; lampirkan sekali lagi."
    )
    assert 'value="KTP-el belum jadi"' in page
    assert Complaint.objects.count() == 0
    assert PendingUpload.objects.count() == 0
