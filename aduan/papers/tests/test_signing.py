"""With a signing certificate configured, every answer letter is signed (PAdES) and the
verification page reports the signature. The tests make their own CA and certificate."""

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aduan.desk.tests.conftest import page_text
from aduan.papers.letters import letter_pdf_bytes, letter_render
from aduan.papers.signing import check_signing_certificate, pdf_signature_report
from aduan.papers.tests.letter_helpers import carry_to_answer, name_officials, pdf_text

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-uji"
CA = "CA Uji Aduan"
KEY_USAGE = dict.fromkeys(
    (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    ),
    False,
)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca: bool, serial: int):
    now = dt.datetime.now(dt.UTC)
    usage = {**KEY_USAGE, **({"key_cert_sign": True, "crl_sign": True} if ca else {})}
    usage.update(digital_signature=True, content_commitment=not ca)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(public_key)
        .serial_number(serial)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


def write_p12(path, *, self_signed: bool = False) -> None:
    """A test CA "CA Uji Aduan" and Hadi's signing certificate, as an office gets them."""
    key = ec.generate_private_key(ec.SECP256R1())
    if self_signed:
        cert = _certificate("Hadi Wibowo", "Hadi Wibowo", key.public_key(), key, ca=False, serial=3)
        chain = []
    else:
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca = _certificate(
            "CA Uji Aduan", "CA Uji Aduan", ca_key.public_key(), ca_key, ca=True, serial=1
        )
        cert = _certificate(
            "Hadi Wibowo", "CA Uji Aduan", key.public_key(), ca_key, ca=False, serial=2
        )
        chain = [ca]
    encryption = serialization.BestAvailableEncryption(PASSWORD.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"ttd", key, cert, chain, encryption))


@pytest.fixture
def signing(settings, tmp_path):
    path = tmp_path / "tanda-tangan.p12"
    write_p12(path)
    settings.SIGNING_P12 = str(path)
    settings.SIGNING_P12_PASSWORD = PASSWORD
    return path


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def letter(signing, complaint_of_sari, budi, wati, agus, hadi, media):
    name_officials(budi, wati, agus, hadi)
    issued = carry_to_answer(complaint_of_sari, staff=budi, kasi=wati, kabid=agus, kadis=hadi)
    return letter_render(letter_id=issued.pk)


def verify_url(letter) -> str:
    return reverse("letters:verify", args=[letter.verify_token])


def test_a_configured_certificate_signs_every_letter(letter):
    assert letter.pdf_signed
    content = letter_pdf_bytes(letter=letter)
    report = pdf_signature_report(content)
    assert report.valid
    assert report.signer == "Hadi Wibowo"
    assert report.signed_at is not None
    assert "Hadi Wibowo NIP. 197001011990031001" in pdf_text(content)  # still readable


def test_the_verification_page_reports_the_signature_valid_with_the_signer(client, letter):
    text = page_text(client.get(verify_url(letter)))
    assert "Tanda tangan elektronik Ya" in text
    assert "Sah: isi tidak berubah sejak ditandatangani" in text
    assert "Penanda tangan Hadi Wibowo" in text
    assert "Waktu penandatanganan" in text


def test_the_real_signed_copy_matches_and_its_signature_is_valid(client, letter):
    copy = SimpleUploadedFile("surat.pdf", letter_pdf_bytes(letter=letter))
    text = page_text(client.post(verify_url(letter), {"copy": copy}))
    assert "Cocok" in text
    assert "Tanda tangan elektronik pada berkas Anda Sah" in text


def test_a_tampered_copy_does_not_match_and_its_signature_is_invalid(client, letter):
    content = bytearray(letter_pdf_bytes(letter=letter))
    content[600] ^= 0x01  # inside the first signed byte range, well before the signature
    copy = SimpleUploadedFile("surat.pdf", bytes(content))
    text = page_text(client.post(verify_url(letter), {"copy": copy}))
    assert "Tidak cocok" in text
    assert "Tanda tangan elektronik pada berkas Anda Tidak sah" in text
    assert not pdf_signature_report(bytes(content)).valid


def test_a_copy_without_its_signature_is_told_so(client, letter):
    copy = SimpleUploadedFile("surat.pdf", b"%PDF-1.7\nnot the letter")
    text = page_text(client.post(verify_url(letter), {"copy": copy}))
    assert "Tidak cocok" in text
    assert "Tanda tangan elektronik tidak dapat dibaca" in text


def test_a_self_signed_certificate_is_its_own_trust_root(
    settings, tmp_path, complaint_of_sari, budi, wati, agus, hadi, media
):
    path = tmp_path / "sendiri.p12"
    write_p12(path, self_signed=True)
    settings.SIGNING_P12, settings.SIGNING_P12_PASSWORD = str(path), PASSWORD
    issued = carry_to_answer(complaint_of_sari, staff=budi, kasi=wati, kabid=agus, kadis=hadi)
    report = pdf_signature_report(letter_pdf_bytes(letter=letter_render(letter_id=issued.pk)))
    assert report.valid and report.signer == "Hadi Wibowo"


def test_a_wrong_password_is_reported_at_start_up(settings, signing):
    assert check_signing_certificate() == []
    settings.SIGNING_P12_PASSWORD = "salah"
    errors = check_signing_certificate()
    assert [e.id for e in errors] == ["aduan.papers.E002"]
    assert "ADUAN_SIGNING_P12_PASSWORD" in errors[0].msg


def test_without_a_certificate_letters_are_not_signed(
    settings, complaint_of_sari, budi, wati, agus, hadi, media
):
    settings.SIGNING_P12 = ""
    assert check_signing_certificate() == []
    issued = carry_to_answer(complaint_of_sari, staff=budi, kasi=wati, kabid=agus, kadis=hadi)
    letter = letter_render(letter_id=issued.pk)
    assert not letter.pdf_signed
    assert pdf_signature_report(letter_pdf_bytes(letter=letter)) is None
