"""Sending the answer issues the official answer letter: numbered in the office's scheme,
dated, signed by the Kadis who approved, printed once as a PDF with a QR code that opens
its public verification page."""

import base64
import hashlib
import io
import json
import threading

import pytest
import segno
from django.template.loader import render_to_string
from django.utils import translation

from aduan.accounts.models import RoleGrant
from aduan.accounts.selectors import office_today
from aduan.audit.models import AuditEvent
from aduan.complaints.models import Category, ComplaintStep
from aduan.complaints.services import complaint_register
from aduan.desk.services import desk_decide
from aduan.papers import letter_pdf
from aduan.papers.letter_pdf import letter_context
from aduan.papers.letters import letter_pdf_bytes, letter_render
from aduan.papers.models import AnswerLetter, LetterCounter, Letterhead
from aduan.papers.qr import qr_svg
from aduan.papers.tests.letter_helpers import ANSWER, carry_to_answer, name_officials, pdf_text
from conftest import make_official, run_at_once

MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


def indonesian(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def officials(budi, wati, agus, hadi):
    name_officials(budi, wati, agus, hadi)
    return {"staff": budi, "kasi": wati, "kabid": agus, "kadis": hadi}


def printed(letter) -> str:
    return pdf_text(letter_pdf_bytes(letter=letter_render(letter_id=letter.pk)))


def a_complaint(**fields):
    category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})
    defaults = {
        "subject": "KTP-el belum jadi",
        "description": "Sudah tiga minggu.",
        "name": "Sari Wulandari",
        "phone": "+6281234567890",
    }
    return complaint_register(category=category, **{**defaults, **fields})


@pytest.mark.django_db
def test_sending_the_answer_issues_a_letter_with_the_years_next_number(
    complaint_of_sari, officials, media
):
    today = office_today()
    LetterCounter.objects.create(year=today.year, last=11)
    letter = carry_to_answer(complaint_of_sari, **officials)
    roman = "I II III IV V VI VII VIII IX X XI XII".split()[today.month - 1]
    assert letter.number == f"470/012/PGD/{roman}/{today.year}"
    assert letter.dated == today
    assert letter.subject == "Jawaban atas pengaduan"
    assert letter.addressee == "Sari Wulandari"
    assert letter.body == ANSWER
    assert (letter.signer, letter.signer_title) == (officials["kadis"], "Kepala Dinas")
    assert (letter.signer_name, letter.signer_nip) == ("Hadi Wibowo", "197001011990031001")
    canonical = json.dumps(
        [letter.number, today.isoformat(), letter.subject, ANSWER],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert letter.content_sha256 == hashlib.sha256(canonical.encode()).hexdigest()
    issued = AuditEvent.objects.get(action="letter.issued")
    assert issued.actor_id == officials["staff"].pk
    assert issued.data["number"] == letter.number

    second = carry_to_answer(a_complaint(subject="KK belum jadi"), **officials)
    assert second.number == f"470/013/PGD/{roman}/{today.year}"


@pytest.mark.django_db
def test_no_letter_is_issued_before_the_answer_is_sent(complaint_of_sari, officials, media):
    from aduan.desk.services import draft_save

    draft_save(complaint_id=complaint_of_sari.pk, actor=officials["staff"], kind="answer", body="x")
    for role in ("staff", "kasi", "kabid", "kadis"):
        step = ComplaintStep.objects.get(complaint=complaint_of_sari, decided_at__isnull=True)
        assert desk_decide(step_id=step.pk, actor=officials[role], decision="approve").ok
    assert not AnswerLetter.objects.exists()
    assert not LetterCounter.objects.exists()


@pytest.mark.django_db
def test_the_office_chooses_the_letter_number_format(complaint_of_sari, officials, media):
    letterhead = Letterhead.current()
    letterhead.letter_number_format = "{agenda_seq}/{seq:04d}/DISPENDUK/{month}/{year}"
    letterhead.save()
    letter = carry_to_answer(complaint_of_sari, **officials)
    today = office_today()
    expected = f"{complaint_of_sari.agenda_seq}/0001/DISPENDUK/{today.month}/{today.year}"
    assert letter.number == expected


@pytest.mark.django_db
def test_the_pdf_prints_the_letter_in_indonesian_whatever_the_interface_language(
    complaint_of_sari, officials, media, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        letter = carry_to_answer(complaint_of_sari, **officials)
    letter.refresh_from_db()
    assert letter.pdf_sha256  # rendered by the task once the answer was committed
    text = pdf_text(letter_pdf_bytes(letter=letter))
    assert "PEMERINTAH KOTA MOJOKERTO" in text
    assert f"Mojokerto, {indonesian(letter.dated)}" in text
    assert f"Nomor : {letter.number}" in text
    assert "Sifat : Biasa" in text
    assert "Perihal : Jawaban atas pengaduan" in text
    assert "Yth. Sari Wulandari" in text
    assert complaint_of_sari.agenda_number in text
    assert complaint_of_sari.tracking_code in text
    assert "KTP-el Ibu sudah dicetak dan dapat diambil di loket 2." in text
    assert "Mohon membawa tanda terima perekaman." in text
    assert "Kepala Dinas, Hadi Wibowo NIP. 197001011990031001" in text
    assert "Pindai untuk memeriksa keaslian surat" in text
    assert hashlib.sha256(letter_pdf_bytes(letter=letter)).hexdigest() == letter.pdf_sha256


@pytest.mark.django_db
def test_an_acting_kadis_signs_as_plt_kepala_dinas(complaint_of_sari, budi, wati, agus, media):
    rina = make_official("rina", "Rina")
    rina.last_name = "Kusuma"
    rina.save()
    today = office_today()
    RoleGrant.objects.create(
        user=rina, role="kadis", kind=RoleGrant.Kind.PLT, starts_on=today, ends_on=today
    )
    letter = carry_to_answer(complaint_of_sari, staff=budi, kasi=wati, kabid=agus, kadis=rina)
    assert letter.signer_title == "Plt. Kepala Dinas"
    text = printed(letter)
    assert "Plt. Kepala Dinas, Rina Kusuma" in text
    assert "NIP." not in text  # Rina has no NIP recorded: the line is left out


@pytest.mark.django_db
def test_an_anonymous_complaints_letter_names_no_one(sop_version, officials, media):
    complaint = a_complaint(
        name="", is_anonymous=True, phone="+6285712345678", nik="3576014101900012"
    )
    letter = carry_to_answer(complaint, **officials)
    assert letter.addressee == f"Pelapor {complaint.tracking_code}"
    text = printed(letter)
    assert f"Yth. Pelapor {complaint.tracking_code}" in text
    assert "6285712345678" not in text.replace(" ", "")
    assert "3576014101900012" not in text.replace(" ", "")


@pytest.mark.django_db
def test_html_and_script_typed_by_the_citizen_print_as_text(sop_version, officials, media):
    complaint = a_complaint(name="Sari <script>alert(1)</script>")
    letter = carry_to_answer(
        complaint, **officials, body="Jawaban <b>tebal</b> & <img src=x onerror=alert(2)>"
    )
    text = printed(letter)
    assert "Yth. Sari <script>alert(1)</script>" in text
    assert "Jawaban <b>tebal</b> & <img src=x onerror=alert(2)>" in text


@pytest.mark.django_db
def test_the_qr_code_is_built_from_the_verification_address_printed_on_the_letter(
    settings, complaint_of_sari, officials, media
):
    settings.PUBLIC_URL = "https://aduan.mojokertokota.go.id"
    letter = carry_to_answer(complaint_of_sari, **officials)
    url = f"https://aduan.mojokertokota.go.id/surat/periksa/{letter.verify_token}/"
    assert "".join(printed(letter).split()).count(url) == 1
    html = render_to_string("papers/letter.html", letter_context(letter=letter))
    src = html.split('class="qr" src="data:image/svg+xml;base64,')[1].split('"')[0]
    svg = base64.b64decode(src)
    # The SVG draws the modules segno makes of exactly that address (segno cannot decode).
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=4, border=2, xmldecl=False, dark="#000", light=None
    )
    assert svg == out.getvalue()
    assert svg != qr_svg(url.replace(letter.verify_token, "lain"))


@pytest.mark.django_db
def test_a_letter_is_rendered_once_and_kept(complaint_of_sari, officials, media):
    letter = carry_to_answer(complaint_of_sari, **officials)
    first = letter_render(letter_id=letter.pk)
    again = letter_render(letter_id=letter.pk)
    assert again.pdf_sha256 == first.pdf_sha256
    assert again.rendered_at == first.rendered_at
    assert [p.name for p in (media / "letters").rglob("*.pdf")] == [first.pdf.name.split("/")[-1]]
    assert AuditEvent.objects.filter(action="letter.rendered").count() == 1


@pytest.mark.django_db
def test_a_render_failure_is_logged_and_tried_again(
    complaint_of_sari, officials, media, monkeypatch, caplog
):
    letter = carry_to_answer(complaint_of_sari, **officials)
    with monkeypatch.context() as patched:
        patched.setattr(letter_pdf, "letter_pdf_build", _broken_build)
        assert letter_render(letter_id=letter.pk) is None
    assert "could not be rendered" in caplog.text
    assert not AnswerLetter.objects.get(pk=letter.pk).pdf_sha256
    assert letter_render(letter_id=letter.pk).pdf_sha256


def _broken_build(*, letter):
    raise OSError("Pango is not installed")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_renders_at_once_keep_one_file(sop_version, media, monkeypatch):
    from aduan.papers import letters

    officials = {
        role: make_official(name, name.title(), role)
        for role, name in (("staff", "budi"), ("kasi", "wati"), ("kabid", "agus"))
    }
    officials["kadis"] = make_official("hadi", "Hadi", "kadis")
    monkeypatch.setattr(letters, "_render_later", lambda letter_id: None)  # no task here
    letter = carry_to_answer(a_complaint(), **officials)
    contents = [b"%PDF-1.7\n% render A\n", b"%PDF-1.7\n% render B\n"]
    both_rendering = threading.Barrier(2, timeout=30)

    def build(*, letter):
        content = contents.pop()
        both_rendering.wait()  # each has seen the letter unrendered before either stores
        return content, False

    monkeypatch.setattr(letter_pdf, "letter_pdf_build", build)
    results = run_at_once(
        lambda: letter_render(letter_id=letter.pk), lambda: letter_render(letter_id=letter.pk)
    )
    kept = AnswerLetter.objects.get(pk=letter.pk)
    assert {r.pdf_sha256 for r in results} == {kept.pdf_sha256}
    files = list((media / "letters").rglob("*.pdf"))
    assert len(files) == 1
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == kept.pdf_sha256
    assert AuditEvent.objects.filter(action="letter.rendered").count() == 1


@pytest.mark.django_db
def test_the_demos_answered_complaints_carry_letters_dated_with_their_answer(
    settings, sop_version, media
):
    from django.utils import timezone

    from aduan.core.demo import demo_load
    from aduan.papers.letters import content_hash

    settings.DEMO = True
    demo_load()
    letters = list(AnswerLetter.objects.select_related("complaint").order_by("seq"))
    assert [letter.kind for letter in letters] == ["answer", "referral"]
    assert letters[1].subject == "Penerusan pengaduan"
    for letter in letters:
        closed = letter.complaint.closed_at
        assert letter.dated == timezone.localdate(closed, timezone=timezone.get_default_timezone())
        assert letter.content_sha256 == content_hash(
            number=letter.number, dated=letter.dated, subject=letter.subject, body=letter.body
        )
