"""Paper and files: the office's letterhead, answer letters and bundles of records.

The agenda book is not a table of its own: it is the register of complaints
(complaints.Complaint, numbered by AgendaCounter) read for a period (aduan.papers.agenda).
"""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from aduan.complaints.models import Complaint

# The fields a letter number format may use (Letterhead.letter_number_format).
LETTER_NUMBER_FIELDS = {
    "seq": "nomor urut surat dalam tahun (1, 2, …)",
    "year": "tahun surat (2026)",
    "month": "bulan surat (1–12)",
    "month_roman": "bulan surat dalam angka Romawi (I–XII)",
    "agenda": "nomor agenda pengaduan (00012/2026)",
    "agenda_seq": "nomor urut agenda pengaduan (12)",
}
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def letter_number_format_problem(fmt: str) -> str | None:
    """What is wrong with a letter number format, or None when it is usable."""
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(fmt) if name}
    except ValueError as exc:
        return f"Format tidak dapat dibaca: {exc}."
    unknown = sorted(names - set(LETTER_NUMBER_FIELDS))
    if unknown:
        return (
            f"Kolom tidak dikenal: {', '.join(unknown)}. Yang dapat dipakai: "
            f"{', '.join('{' + n + '}' for n in LETTER_NUMBER_FIELDS)}."
        )
    if "seq" not in names or "year" not in names:
        return (
            "Format harus memuat {seq} (nomor urut surat) dan {year} (tahun), agar setiap "
            "nomor berbeda: nomor urut mulai lagi dari 1 setiap tahun."
        )
    try:
        fmt.format(seq=1, year=2026, month=1, month_roman="I", agenda="00001/2026", agenda_seq=1)
    except (ValueError, KeyError, IndexError) as exc:
        return f"Format tidak dapat dipakai: {exc}."
    return None


def _validate_letter_number_format(value: str) -> None:
    problem = letter_number_format_problem(value)
    if problem:
        raise ValidationError(problem)


class Letterhead(models.Model):
    """The office's letterhead (kop surat) and letter numbering: one row, edited in the
    admin. Letters already issued keep what they were printed with."""

    government = models.CharField(
        "pemerintah daerah", max_length=200, default="PEMERINTAH KOTA MOJOKERTO"
    )
    office = models.CharField(
        "nama kantor", max_length=200, default="DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"
    )
    address = models.CharField("alamat", max_length=300, blank=True)
    contact = models.CharField(
        "telepon, surel, laman", max_length=300, blank=True, help_text="satu baris di bawah alamat"
    )
    city = models.CharField("kota tempat surat dibuat", max_length=100, default="Mojokerto")
    logo = models.FileField(
        "logo",
        upload_to="letterhead/",
        blank=True,
        help_text="PNG, JPEG atau SVG; kosong: lambang bawaan Aduan",
    )
    letter_number_format = models.CharField(
        "format nomor surat",
        max_length=120,
        default="470/{seq:03d}/PGD/{month_roman}/{year}",
        validators=[_validate_letter_number_format],
        help_text=(
            "Kolom: {seq} nomor urut dalam tahun, {year}, {month}, {month_roman}, {agenda}, "
            "{agenda_seq}; contoh 470/{seq:03d}/PGD/{month_roman}/{year}"
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "kop surat"
        verbose_name_plural = "kop surat"

    def __str__(self) -> str:
        return self.office

    @classmethod
    def current(cls) -> "Letterhead":
        """The one letterhead (made with the defaults the first time it is asked for)."""
        return cls.objects.get_or_create(pk=1)[0]


class LetterCounter(models.Model):
    """The last answer letter number given out in a year (numbers have no gaps)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class AnswerLetter(models.Model):
    """The official answer letter of a complaint, made when the answer is sent.

    Everything printed is copied here when the letter is issued (number, date, addressee,
    subject, answer, signer), so the letter reads the same however the complaint, the
    officials or the letterhead change later. The PDF is rendered once and kept; its
    SHA-256 is what the public verification page (reached by the QR code, `verify_token`)
    compares a copy with.
    """

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="letter")
    number = models.CharField("nomor surat", max_length=120, unique=True)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    dated = models.DateField("tanggal surat")
    issued_at = models.DateTimeField()
    addressee = models.CharField("kepada", max_length=200)
    subject = models.CharField("perihal", max_length=300)
    kind = models.CharField(max_length=16)
    body = models.TextField("isi jawaban")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    signer_nip = models.CharField(max_length=18, blank=True)
    signer_title = models.CharField(max_length=200)
    letterhead = models.JSONField("kop surat saat diterbitkan", default=dict)
    # The public verification page: /surat/periksa/<verify_token>/ (in the QR code).
    verify_token = models.CharField(max_length=32, unique=True)
    # SHA-256 of the number, date, subject and answer as printed (the content hash).
    content_sha256 = models.CharField(max_length=64)
    # The PDF, rendered once (and signed when the office configured a certificate).
    pdf = models.FileField(upload_to="letters/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    pdf_signed = models.BooleanField(default=False)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="letter_unique_seq"),
        ]
        verbose_name = "surat jawaban"
        verbose_name_plural = "surat jawaban"

    def __str__(self) -> str:
        return self.number


class RecordBundle(models.Model):
    """A ZIP of complete records (lembar pengaduan) for a period, built by the worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_day = models.DateField()
    last_day = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="bundles/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "berkas lembar pengaduan"
        verbose_name_plural = "berkas lembar pengaduan"

    def __str__(self) -> str:
        return f"{self.first_day}–{self.last_day}"
