"""The QR code printed on an answer letter: the address of its public verification page."""

import io

from django.conf import settings
from django.urls import reverse

from aduan.papers.pdf import data_uri


def verify_url(token: str) -> str:
    """The public verification page of the letter with `token`, at settings.PUBLIC_URL."""
    return settings.PUBLIC_URL + reverse("letters:verify", args=[token])


def qr_svg(url: str) -> bytes:
    """`url` as a QR code (error correction M), an SVG of black modules on no background."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=4, border=2, xmldecl=False, dark="#000", light=None
    )
    return out.getvalue()


def qr_data_uri(url: str) -> str:
    """The QR code of `url` as a data: URL for the PDF renderer."""
    return data_uri(qr_svg(url), "image/svg+xml")
