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
