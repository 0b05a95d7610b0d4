"""The Content-Disposition of a file whose name a person chose (an attachment's).

The name is cleaned of what could break out of the header, point elsewhere or disguise
itself: control characters (CR, LF), path separators, quotes and backslashes, and the
bidirectional overrides. A plain ASCII name is given
as filename="..."; any other also as filename*=UTF-8''... (RFC 6266, RFC 5987), with an
ASCII stand-in in filename="..." for the clients that read only that.
"""

import re
import unicodedata
from urllib.parse import quote

# Control characters, path separators, quotes; and the bidirectional overrides, which
# make "gnp.exe" read as "exe.png".
UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\"\u200e\u200f\u202a-\u202e\u2066-\u2069]')
ASCII_SAFE = re.compile(r"[^A-Za-z0-9 ._()+,=@-]")
MAX_NAME = 150


def safe_filename(name: str, *, default: str = "berkas") -> str:
    """The name with no control character, path separator or quote, trimmed (keeping its
    extension) to MAX_NAME characters; `default` when nothing is left."""
    name = UNSAFE.sub("_", unicodedata.normalize("NFC", name or "")).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(extension) - 1].rstrip() + dot + extension
    return name or default


def content_disposition(name: str, *, inline: bool = False, default: str = "berkas") -> str:
    name = safe_filename(name, default=default)
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    fallback = ASCII_SAFE.sub("_", fallback).strip(" .") or default
    disposition = "inline" if inline else "attachment"
    if fallback == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
