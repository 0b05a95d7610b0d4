"""Attachments are checked by their content, not by their name, and images are redrawn.

A file is accepted only when its bytes are a JPEG or PNG image that Pillow opens, verifies
and decodes, at most MAX_PIXELS pixels, or a PDF (the "%PDF-" header and an "%%EOF" near
the end). Images are re-encoded: decoded, turned upright by their EXIF orientation and saved
as a fresh JPEG or PNG with no metadata at all, so EXIF, GPS position, comments, colour
profiles and anything hidden after the image (a polyglot's HTML or ZIP) do not survive.
PDFs are kept as sent. The stored name ends with the extension of the detected type.

RequestSizeGuard, the first upload handler (settings.FILE_UPLOAD_HANDLERS), refuses the
files of a request larger than a form's files can make, while its text fields still reach
the form; a request far larger still is refused outright (400).
"""

import io
from pathlib import PurePosixPath

from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
}
# Extensions a name may keep for each type (compared in lower case).
EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe"),
    "image/png": (".png",),
    "application/pdf": (".pdf",),
}
MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
MAX_PIXELS = 40_000_000  # 40 megapixels: any phone photo; a decompression bomb is not
# A whole request: the form's files at their largest, and room for its text.
MAX_REQUEST_BYTES = MAX_FILES * MAX_BYTES + 1024 * 1024
# Beyond this the request is not read at all: a plain 400.
MAX_REQUEST_BYTES_HARD = 4 * MAX_REQUEST_BYTES
PDF_EOF_WITHIN = 1024  # bytes from the end, as the PDF specification allows
JPEG_QUALITY = 90


class FileRefused(ValueError):
    """The content cannot be accepted. `reason` is "type", "broken" or "pixels"."""

    def __init__(self, reason: str, detail: str = "", *, pixels: int = 0):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.pixels = pixels


def sniff_content_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes; None when not JPEG, PNG or PDF."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def file_cleaned(content: bytes) -> tuple[str, bytes]:
    """(content type, the content to store): an image re-encoded without metadata, a PDF
    as it is. Raises FileRefused for another type, a broken file or too many pixels."""
    content_type = sniff_content_type(content[:16])
    if content_type is None:
        raise FileRefused("type")
    if content_type == "application/pdf":
        if b"%%EOF" not in content[-PDF_EOF_WITHIN:]:
            raise FileRefused("broken", "no %%EOF at the end of the PDF")
        return content_type, content
    return content_type, image_reencoded(content, content_type)


def image_reencoded(content: bytes, content_type: str) -> bytes:
    """The picture of a JPEG or PNG, upright, saved afresh in the same format with no
    metadata. Raises FileRefused ("broken" or "pixels")."""
    kind = "JPEG" if content_type == "image/jpeg" else "PNG"
    try:
        with Image.open(io.BytesIO(content), formats=[kind]) as probe:
            pixels = probe.width * probe.height
            if pixels > MAX_PIXELS:
                raise FileRefused("pixels", pixels=pixels)
            probe.verify()  # PNG: every chunk's checksum
        with Image.open(io.BytesIO(content), formats=[kind]) as image:
            image.load()  # decodes every pixel: a truncated file fails here
            upright = _upright(image)
    except FileRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise FileRefused("pixels", str(exc), pixels=MAX_PIXELS + 1) from None
    except (UnidentifiedImageError, MemoryError) as exc:
        raise FileRefused("broken", f"{type(exc).__name__}: {exc}") from None
    except Exception as exc:  # Pillow reading hostile bytes: OSError, struct.error, ...
        raise FileRefused("broken", f"{type(exc).__name__}: {exc}") from None
    fresh = _plain_mode(upright, kind)
    fresh.info = {}  # nothing carried over: EXIF, ICC profile, comments, text chunks
    out = io.BytesIO()
    if kind == "JPEG":
        fresh.save(out, "JPEG", quality=JPEG_QUALITY)
    else:
        fresh.save(out, "PNG")
    return out.getvalue()


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says; as it is when the EXIF is broken
    (the EXIF is dropped anyway)."""
    try:
        ImageOps.exif_transpose(image, in_place=True)  # no copy of a 40-megapixel picture
    except Exception:  # a malformed EXIF block: struct.error, ValueError, KeyError...
        pass
    return image


def _plain_mode(image: Image.Image, kind: str) -> Image.Image:
    """The image in a mode its format saves plainly: JPEG grey or RGB; PNG grey, RGB or
    RGBA (a palette or 16-bit image is converted, keeping transparency)."""
    if kind == "JPEG":
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    if image.mode in ("1", "L", "LA", "RGB", "RGBA"):
        return image
    transparent = "A" in image.getbands() or "transparency" in image.info
    if image.mode.startswith("I"):  # 16/32-bit grey: scaled to 8 bits
        return image.point(lambda v: v / 256).convert("L")
    return image.convert("RGBA" if transparent else "RGB")


def stored_name(name: str, content_type: str) -> str:
    """The file's name with an extension that says what it is: "ktp.png" stays, a JPEG
    named "foto.html" becomes "foto.jpg", one without extension gets ".jpg"."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "lampiran"
    path = PurePosixPath(name)
    if path.suffix.lower() in EXTENSIONS[content_type]:
        return name[:255]
    stem = path.stem if path.suffix and len(path.suffix) <= 6 else name
    ext = ACCEPTED[content_type]
    return stem[: 255 - len(ext)] + ext


class RefusedUpload(UploadedFile):
    """A file RequestSizeGuard did not keep: its name and the bytes received, no content."""

    def __init__(self, name: str, size: int):
        super().__init__(io.BytesIO(b""), name=name, content_type=None, size=size)


class RequestSizeGuard(FileUploadHandler):
    """Keeps no file of a request above MAX_REQUEST_BYTES: each is replaced by a
    RefusedUpload (the form says why, beside the field, and keeps what was typed); a
    request above MAX_REQUEST_BYTES_HARD is refused before it is read (400)."""

    too_big = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > MAX_REQUEST_BYTES_HARD:
            raise RequestDataTooBig("Request body exceeded aduan.lib.files.MAX_REQUEST_BYTES_HARD")
        self.too_big = content_length > MAX_REQUEST_BYTES
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.too_big:
            raise StopFutureHandlers  # the other handlers store nothing of it

    def receive_data_chunk(self, raw_data, start):
        if not self.too_big:
            return raw_data
        self.received += len(raw_data)
        return None  # counted, not kept

    def file_complete(self, file_size):
        if not self.too_big:
            return None
        return RefusedUpload(self.file_name or "", self.received)
