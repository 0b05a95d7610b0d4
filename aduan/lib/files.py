"""Attachments are checked by their content, not by their name."""

ACCEPTED = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
}
MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5


def sniff_content_type(head: bytes) -> str | None:
    """The real type of a file from its first bytes; None when not JPEG, PNG or PDF."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


# PNG chunks that carry text, camera data or times, never pixels.
PNG_METADATA_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def strip_metadata(content: bytes, content_type: str) -> bytes:
    """The same image without its metadata, pixels untouched (no re-encoding).

    JPEG: drops the APP1–APP15 segments (EXIF, GPS, XMP, ICC, maker notes...) and
    comments, keeps APP0 (JFIF) and everything from the start of the scan on. PNG: drops
    the tEXt, zTXt, iTXt, eXIf and tIME chunks. PDF: returned unchanged. Raises
    ValueError for a file that is not well-formed or of another type.
    """
    if content_type == "image/jpeg":
        return _jpeg_stripped(content)
    if content_type == "image/png":
        return _png_stripped(content)
    if content_type == "application/pdf":
        return content
    raise ValueError(f"cannot strip metadata from {content_type!r}")


def _jpeg_stripped(content: bytes) -> bytes:
    if not content.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG: no start-of-image marker")
    out = bytearray(b"\xff\xd8")
    pos, size = 2, len(content)
    while pos < size:
        if content[pos] != 0xFF:
            raise ValueError(f"JPEG marker expected at byte {pos}")
        while pos < size and content[pos] == 0xFF:  # fill bytes before a marker
            pos += 1
        if pos >= size:
            raise ValueError("JPEG ends inside a marker")
        marker = content[pos]
        pos += 1
        if marker == 0xD9:  # end of image
            out += b"\xff\xd9"
            return bytes(out)
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length follows
            out += bytes((0xFF, marker))
            continue
        if pos + 2 > size:
            raise ValueError("JPEG segment length missing")
        length = int.from_bytes(content[pos : pos + 2], "big")
        if length < 2 or pos + length > size:
            raise ValueError("JPEG segment length out of range")
        segment = content[pos : pos + length]
        pos += length
        if 0xE1 <= marker <= 0xEF or marker == 0xFE:
            continue  # APP1–APP15 and COM: metadata
        out += bytes((0xFF, marker)) + segment
        if marker == 0xDA:  # start of scan: the entropy-coded data and the rest stay as is
            out += content[pos:]
            return bytes(out)
    raise ValueError("JPEG has no image data")


def _png_stripped(content: bytes) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not content.startswith(signature):
        raise ValueError("not a PNG: wrong signature")
    out = bytearray(signature)
    pos, size = len(signature), len(content)
    while pos + 12 <= size:
        length = int.from_bytes(content[pos : pos + 4], "big")
        kind = content[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > size:
            raise ValueError("PNG chunk runs past the end of the file")
        if kind not in PNG_METADATA_CHUNKS:
            out += content[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("PNG has no IEND chunk")
