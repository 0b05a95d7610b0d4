"""Uploads are accepted by their content and images are redrawn: no EXIF, no GPS, no
hidden payload, no decompression bomb (aduan.lib.files.file_cleaned)."""

import io
import struct
import zlib

import pytest
from PIL import Image

from aduan.lib.files import MAX_PIXELS, FileRefused, file_cleaned, stored_name

GPS_IFD = 0x8825
# Pillow warns of the 100-megapixel bomb on opening it; the check refuses it.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def jpeg_with_gps(size=(32, 16), orientation: int | None = None) -> bytes:
    """A camera-like photo: EXIF with the make, a GPS position (Mojokerto) and a comment."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x010F] = "KameraSari"  # Make
    exif[0x0110] = "HP-Sari-X1"  # Model
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "S"
    gps[2] = (7.0, 28.0, 19.0)
    gps[3] = "E"
    gps[4] = (112.0, 26.0, 2.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"rumah Sari, Jl. Mawar 3")
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bytes(width=4, height=4, colour=(1, 2, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_bad_checksum() -> bytes:
    """A PNG whose pixel data was changed after it was written: its IDAT checksum fails."""
    content = bytearray(png_bytes())
    content[content.index(b"IDAT") + 6] ^= 0xFF
    return bytes(content)


def test_the_test_photo_really_carries_a_gps_position():
    photo = Image.open(io.BytesIO(jpeg_with_gps()))
    assert photo.getexif().get_ifd(GPS_IFD)[1] == "S"
    assert b"KameraSari" in jpeg_with_gps()


def test_a_jpeg_loses_its_exif_gps_and_comment_and_keeps_its_picture():
    content_type, cleaned = file_cleaned(jpeg_with_gps())
    assert content_type == "image/jpeg"
    for secret in (b"Exif", b"KameraSari", b"HP-Sari-X1", b"rumah Sari"):
        assert secret not in cleaned
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG"
    assert image.size == (32, 16)
    assert not image.getexif()
    assert "exif" not in image.info and "comment" not in image.info
    red, green, blue = image.getpixel((28, 8))
    assert red > 150 and blue < 80  # the right half is still red


def test_a_photo_taken_sideways_is_turned_upright_before_its_exif_goes():
    # Orientation 6: the camera was turned; viewers rotate the picture 90° clockwise.
    _type, cleaned = file_cleaned(jpeg_with_gps(size=(32, 16), orientation=6))
    image = Image.open(io.BytesIO(cleaned))
    assert image.size == (16, 32)
    assert not image.getexif()


def test_a_png_loses_its_text_exif_and_time_chunks():
    plain = png_bytes()
    iend = plain.rindex(b"IEND") - 4
    tagged = (
        plain[:iend]
        + png_chunk(b"tEXt", b"Author\x00Sari")
        + png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"GPS -7.47"))
        + png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00<x/>")
        + png_chunk(b"eXIf", b"MM\x00*GPS")
        + png_chunk(b"tIME", b"\x07\xea\x0b\x1d\x0a\x00\x00")
        + plain[iend:]
    )
    content_type, cleaned = file_cleaned(tagged)
    assert content_type == "image/png"
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME", b"Sari"):
        assert chunk not in cleaned
    assert Image.open(io.BytesIO(cleaned)).getpixel((0, 0)) == (1, 2, 3)


@pytest.mark.parametrize(
    "payload",
    [
        b"<html><script>alert(document.cookie)</script></html>",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"evil.html" + b"\x00" * 64,
    ],
    ids=["html", "zip"],
)
@pytest.mark.parametrize("kind", ["jpeg", "png"])
def test_a_polyglot_loses_the_payload_after_the_image(kind, payload):
    image = jpeg_with_gps() if kind == "jpeg" else png_bytes()
    _type, cleaned = file_cleaned(image + payload)
    assert b"<script>" not in cleaned and b"PK\x03\x04" not in cleaned
    assert b"evil" not in cleaned and b"alert" not in cleaned


def test_a_palette_png_with_transparency_stays_transparent():
    image = Image.new("P", (4, 4), 0)
    image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", transparency=0)
    _type, cleaned = file_cleaned(buffer.getvalue())
    redrawn = Image.open(io.BytesIO(cleaned))
    assert redrawn.mode == "RGBA" and redrawn.getpixel((0, 0))[3] == 0


def test_a_16_bit_grey_png_is_accepted_as_8_bit_grey():
    image = Image.new("I;16", (4, 4), 40000)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    _type, cleaned = file_cleaned(buffer.getvalue())
    redrawn = Image.open(io.BytesIO(cleaned))
    assert redrawn.mode == "L" and 150 <= redrawn.getpixel((0, 0)) <= 160


def test_a_cmyk_jpeg_is_saved_as_rgb():
    buffer = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(buffer, "JPEG")
    _type, cleaned = file_cleaned(buffer.getvalue())
    assert Image.open(io.BytesIO(cleaned)).mode == "RGB"


def test_a_pdf_is_kept_as_sent():
    pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    assert file_cleaned(pdf) == ("application/pdf", pdf)


def test_a_pdf_without_its_end_marker_or_with_a_long_tail_is_refused():
    with pytest.raises(FileRefused) as cut_short:
        file_cleaned(b"%PDF-1.4\n1 0 obj << >> endobj\n")
    assert cut_short.value.reason == "broken"
    with pytest.raises(FileRefused):
        file_cleaned(b"%PDF-1.4\n%%EOF\n" + b"PK\x03\x04" + b"\x00" * 4096)


def png_declaring(width: int, height: int) -> bytes:
    """A grey PNG of width×height whose pixel rows are all zero: a few kilobytes on disk,
    `width*height` bytes once decoded (a decompression bomb)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", data)
        + png_chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_png_is_refused_for_its_pixels_without_being_decoded():
    bomb = png_declaring(10_000, 10_000)  # 100 megapixels
    assert len(bomb) < 200_000
    with pytest.raises(FileRefused) as refused:
        file_cleaned(bomb)
    assert refused.value.reason == "pixels"
    assert refused.value.pixels == 100_000_000


def test_a_png_declaring_more_than_pillows_own_bomb_limit_is_refused_too():
    header = struct.pack(">IIBBBBB", 60_000, 60_000, 8, 0, 0, 0, 0)
    huge = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IEND", b"")
    with pytest.raises(FileRefused) as refused:
        file_cleaned(huge)
    assert refused.value.reason == "pixels"


def test_an_image_of_the_pixel_limit_passes_the_pixel_check():
    # Only the check: a 40 MP image is not decoded here (it would be slow).
    assert MAX_PIXELS == 40_000_000
    with pytest.raises(FileRefused) as refused:
        file_cleaned(png_declaring(8_000, 5_001))
    assert refused.value.reason == "pixels"


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, "type"),  # a Windows program
        (b"GIF89a\x01\x00\x01\x00", "type"),
        (b"<svg onload=alert(1)>", "type"),
        (b"\xff\xd8\xff\xe1\x00", "broken"),  # a JPEG cut short
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, "broken"),  # no picture
        (b"\x89PNG\r\n\x1a\n\x00\x00\xff\xffIDAT", "broken"),
        (png_bytes()[:-20], "broken"),  # truncated PNG
        (png_bad_checksum(), "broken"),
    ],
)
def test_a_file_of_another_type_or_broken_is_refused(content, reason):
    with pytest.raises(FileRefused) as refused:
        file_cleaned(content)
    assert refused.value.reason == reason


def test_a_truncated_jpeg_is_refused():
    photo = jpeg_with_gps(size=(64, 64))
    with pytest.raises(FileRefused) as refused:
        file_cleaned(photo[: len(photo) // 2])
    assert refused.value.reason == "broken"


@pytest.mark.parametrize(
    "name, content_type, stored",
    [
        ("ktp.png", "image/png", "ktp.png"),
        ("Foto KTP.JPEG", "image/jpeg", "Foto KTP.JPEG"),
        ("surat.pdf", "application/pdf", "surat.pdf"),
        ("foto.html", "image/jpeg", "foto.jpg"),
        ("laporan.pdf", "image/png", "laporan.png"),
        ("gambar", "image/png", "gambar.png"),
        ("", "application/pdf", "lampiran.pdf"),
        ("..\\..\\etc\\passwd", "image/jpeg", "passwd.jpg"),
        ("surat.v2.final", "application/pdf", "surat.v2.pdf"),
    ],
)
def test_the_stored_name_ends_with_the_detected_types_extension(name, content_type, stored):
    assert stored_name(name, content_type) == stored
