"""The answer letter's electronic signature (PAdES), when the office configures one.

With settings.SIGNING_P12 set (a PKCS#12 file with the signing key, its certificate and
the issuing CA chain, e.g. from BSrE), every letter is signed with pyHanko right after it
is rendered and before it is hashed: PAdES baseline B-B (subfilter ETSI.CAdES.detached),
SHA-256, in a field named "Tanda tangan". There is no timestamp authority: the signing
time is the one the signer reports.

Validation trusts the certificates of the same file: the self-signed certificates of its
chain (the root CA), or the signer's own certificate when it is self-signed. A signature is
"valid" when the signed bytes are unchanged (intact), the cryptographic signature checks,
and the signer's certificate chains up to that root.
"""

import datetime as dt
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core import checks

logger = logging.getLogger(__name__)

FIELD_NAME = "Tanda tangan"


class SigningError(Exception):
    """The configured certificate cannot be used to sign (bad file or password)."""


@dataclass(frozen=True)
class SignatureReport:
    """What a PDF's (first) signature says, as the verification page tells it."""

    readable: bool  # False: the PDF or its signature could not be read at all
    signer: str = ""  # the signer certificate's common name
    signed_at: dt.datetime | None = None  # as reported by the signer (no timestamp)
    intact: bool = False  # the signed bytes are unchanged
    trusted: bool = False  # the certificate chains up to the office's configured root
    whole_file: bool = False  # the signature covers the entire file

    @property
    def valid(self) -> bool:
        return self.readable and self.intact and self.trusted and self.whole_file


def signing_configured() -> bool:
    return bool(settings.SIGNING_P12)


def _password() -> bytes | None:
    return settings.SIGNING_P12_PASSWORD.encode() if settings.SIGNING_P12_PASSWORD else None


@lru_cache(maxsize=4)
def _material(path: str, password: bytes | None, _mtime: float):
    """(pyHanko signer, trust roots, other certificates) from the p12; cached per file version."""
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
    from pyhanko.sign import signers

    content = Path(path).read_bytes()
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(content, password)
    except ValueError as exc:
        raise SigningError(
            f"The signing certificate {path} cannot be opened (wrong ADUAN_SIGNING_P12_PASSWORD, "
            f"or not a PKCS#12 file): {exc}"
        ) from exc
    if key is None or cert is None:
        raise SigningError(f"The signing certificate {path} holds no private key and certificate.")
    signer = signers.SimpleSigner.load_pkcs12_data(content, other_certs=[], passphrase=password)
    chain_asn1 = [translate_pyca_cryptography_cert_to_asn1(c) for c in chain]
    roots = [c for c in chain_asn1 if c.self_signed]
    if not roots:
        own = translate_pyca_cryptography_cert_to_asn1(cert)
        roots = [own] if own.self_signed else chain_asn1
    others = [c for c in chain_asn1 if c not in roots]
    return signer, roots, others


def _configured_material():
    path = settings.SIGNING_P12
    return _material(path, _password(), Path(path).stat().st_mtime)


def pdf_sign(content: bytes) -> bytes:
    """`content` signed with the configured certificate (PAdES B-B, SHA-256)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer, _roots, _others = _configured_material()
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Surat jawaban pengaduan",
        location=settings.PUBLIC_URL,
    )
    output = signers.sign_pdf(writer, meta, signer=signer)
    return output.getvalue()


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    roots, others = [], []
    if signing_configured():
        try:
            _signer, roots, others = _configured_material()
        except (OSError, SigningError):
            logger.exception("the signing certificate cannot be read to validate a signature")
    return ValidationContext(
        trust_roots=roots, other_certs=others, allow_fetching=False, revocation_mode="soft-fail"
    )


def pdf_signature_report(content: bytes) -> SignatureReport | None:
    """What the first signature of `content` says; None when the PDF carries no signature.
    Never raises: a malformed PDF or signature is reported as unreadable."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            return None
        status = validate_pdf_signature(signatures[0], _validation_context())
        subject = status.signing_cert.subject.native
        return SignatureReport(
            readable=True,
            signer=str(subject.get("common_name", "")),
            signed_at=status.signer_reported_dt,
            intact=bool(status.intact and status.valid),
            trusted=bool(status.trusted),
            whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        )
    except Exception as exc:  # a malformed upload is the visitor's problem, never a 500
        logger.info("a PDF signature could not be read: %r", exc)
        return SignatureReport(readable=False)


@checks.register()
def check_signing_certificate(app_configs=None, **kwargs):
    """A configured certificate that cannot be opened fails at start-up, not at the first
    letter."""
    if not signing_configured():
        return []
    try:
        _configured_material()
    except (OSError, SigningError) as exc:
        return [checks.Error(str(exc), id="aduan.papers.E002")]
    return []
