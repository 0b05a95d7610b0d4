"""Benchmark: answer letters: rendering, signing and the verification page.

Run: .venv/bin/python bench/letter_render.py [--count 20]

In a fresh test database (SQLite, or the PostgreSQL of DATABASE_URL: Django's test
database beside it, dropped afterwards) and a temporary MEDIA_ROOT, answers `--count`
complaints (default 20) with the real services, the letters' PDFs rendered as the worker
does after each answer (the ImmediateBackend runs the task at commit). Then times one PDF
rendered again (cold: WeasyPrint loading; warm), the same signed with a test certificate
(PAdES B-B, made here), the signature's validation, and the public verification page (GET,
and POST of a copy) of a signed letter through Django's test client. A figure, not a test.
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
os.environ.setdefault("ADUAN_TESTING", "1")

import django  # noqa: E402

django.setup()


def timed(label: str, function, repeat: int = 1):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    extra = f" (median of {repeat})" if repeat > 1 else ""
    print(f"{label}: {statistics.median(times):.3f} s{extra}")
    return result


def write_test_p12(path: Path, password: bytes) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bench Aduan")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(password)
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"b", key, cert, [], encryption))


def main() -> None:
    count = int(sys.argv[sys.argv.index("--count") + 1]) if "--count" in sys.argv else 20
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    media = tempfile.TemporaryDirectory()
    settings.MEDIA_ROOT = media.name
    try:
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        from aduan.accounts.models import RoleGrant, User
        from aduan.complaints.models import Category
        from aduan.complaints.services import complaint_register
        from aduan.papers.letter_pdf import letter_pdf_build
        from aduan.papers.letters import letter_pdf_bytes, letter_render
        from aduan.papers.signing import pdf_signature_report
        from aduan.papers.tests.letter_helpers import carry_to_answer
        from aduan.sop.services import sop_load

        sop_load()
        people = {}
        for name, role in (
            ("budi", "staff"),
            ("wati", "kasi"),
            ("agus", "kabid"),
            ("hadi", "kadis"),
        ):
            people[role] = User.objects.create_user(username=name, first_name=name.title())
            RoleGrant.objects.create(user=people[role], role=role)
        category, _ = Category.objects.get_or_create(code="ktp-el", defaults={"name": "KTP-el"})

        def answer_all():
            letter = None
            for i in range(count):
                complaint = complaint_register(
                    category=category,
                    subject=f"KTP-el belum jadi ({i})",
                    description="Sudah tiga minggu KTP-el saya belum jadi.",
                    name="Sari Wulandari",
                    phone="+6281234567890",
                )
                letter = carry_to_answer(complaint, **people)
            return letter

        started = time.perf_counter()
        letter = answer_all()
        elapsed = time.perf_counter() - started
        print(f"{count} complaints answered, letters issued and rendered: {elapsed:.1f} s")
        letter = letter_render(letter_id=letter.pk)
        print(f"one letter: {letter.pdf_size / 1024:.0f} KiB")
        timed("render one letter again (warm)", lambda: letter_pdf_build(letter=letter), 5)

        p12 = Path(media.name) / "bench.p12"
        write_test_p12(p12, b"bench")
        settings.SIGNING_P12, settings.SIGNING_P12_PASSWORD = str(p12), "bench"
        timed(
            "render and sign one letter (first: key loaded)",
            lambda: letter_pdf_build(letter=letter),
        )
        content, _signed = timed(
            "render and sign one letter", lambda: letter_pdf_build(letter=letter), 5
        )
        timed("validate its signature", lambda: pdf_signature_report(content), 5)

        complaint = complaint_register(
            category=category, subject="Bertanda tangan", description="-", name="Sari"
        )
        signed = letter_render(letter_id=carry_to_answer(complaint, **people).pk)
        assert signed.pdf_signed
        client = Client()
        url = reverse("letters:verify", args=[signed.verify_token])
        copy = letter_pdf_bytes(letter=signed)
        timed("verification page GET (signed letter)", lambda: client.get(url), 5)
        timed(
            "verification page POST of the copy (signed letter)",
            lambda: client.post(url, {"copy": SimpleUploadedFile("surat.pdf", copy)}),
            5,
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        media.cleanup()


if __name__ == "__main__":
    main()
