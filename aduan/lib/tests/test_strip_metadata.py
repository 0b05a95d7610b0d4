"""strip_metadata removes EXIF, GPS, comments and text chunks without touching pixels."""

import io
import struct
import zlib

import pytest
from PIL import Image

from aduan.lib.files import strip_metadata


def jpeg_with_metadata() -> tuple[bytes, bytes]:
    """(the plain JPEG, the same JPEG with EXIF/GPS in APP1, XMP in APP1 and a comment)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(buffer, "JPEG")
    plain = buffer.getvalue()

    def segment(marker: int, data: bytes) -> bytes:
        return bytes((0xFF, marker)) + (len(data) + 2).to_bytes(2, "big") + data

    extra = (
        segment(0xE1, b"Exif\x00\x00GPSLatitude-7.47GPSLongitude112.43")
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Sari</x:xmpmeta>")
        + segment(0xED, b"Photoshop 3.0\x00IPTC")
        + segment(0xFE, b"kamera Sari")
    )
    app0_end = 2 + 2 + int.from_bytes(plain[4:6], "big")  # SOI, then APP0 (JFIF)
    return plain, plain[:app0_end] + extra + plain[app0_end:]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def test_jpeg_loses_exif_xmp_iptc_and_comments_and_keeps_jfif_and_pixels():
    plain, tagged = jpeg_with_metadata()
    stripped = strip_metadata(tagged, "image/jpeg")
    assert stripped == plain
    for secret in (b"GPS", b"Exif", b"xmpmeta", b"Photoshop", b"kamera Sari"):
        assert secret not in stripped
    assert b"JFIF" in stripped
    assert Image.open(io.BytesIO(stripped)).getpixel((0, 0)) == Image.open(
        io.BytesIO(tagged)
    ).getpixel((0, 0))


def test_png_loses_its_text_exif_and_time_chunks():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (1, 2, 3)).save(buffer, "PNG")
    plain = buffer.getvalue()
    iend = plain.rindex(b"IEND") - 4
    tagged = (
        plain[:iend]
        + png_chunk(b"tEXt", b"Author\x00Sari")
        + png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"GPS"))
        + png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x/>")
        + png_chunk(b"eXIf", b"MM\x00*GPS")
        + png_chunk(b"tIME", b"\x07\xea\x0b\x1d\x0a\x00\x00")
        + plain[iend:]
    )
    stripped = strip_metadata(tagged, "image/png")
    assert stripped == plain
    assert Image.open(io.BytesIO(stripped)).getpixel((0, 0)) == (1, 2, 3)


def test_pdf_is_returned_unchanged():
    pdf = b"%PDF-1.4\n%%EOF\n"
    assert strip_metadata(pdf, "application/pdf") is pdf


@pytest.mark.parametrize(
    "content, content_type",
    [
        (b"\xff\xd8\xff\xe1\x00", "image/jpeg"),  # a segment cut short
        (b"\xff\xd8\x00\x00", "image/jpeg"),  # no marker
        (b"\xff\xd8", "image/jpeg"),  # no image data
        (b"GIF89a", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xffIDAT", "image/png"),  # chunk past the end
        (b"\x89PNG\r\n\x1a\n", "image/png"),  # no IEND
        (b"GIF89a", "image/gif"),
    ],
)
def test_a_broken_or_other_file_is_refused(content, content_type):
    with pytest.raises(ValueError):
        strip_metadata(content, content_type)
