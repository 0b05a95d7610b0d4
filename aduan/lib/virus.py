"""Virus scanning with ClamAV's daemon (clamd), when one is configured.

ADUAN_CLAMD names the daemon: "tcp://host:3310" or "unix:///run/clamav/clamd.ctl"; empty
(the default) means no scanning. The file is sent with clamd's INSTREAM command: the
command "zINSTREAM\\0", then chunks each preceded by its length (4 bytes, big-endian), then
a zero length; clamd answers "stream: OK\\0" or "stream: <signature> FOUND\\0". No client
library: the protocol is these few lines.

virus_scan returns None for a clean file and the signature's name for an infected one; a
daemon that cannot be reached, times out or answers anything else raises ScannerDown, so
the caller can hold the file for a later scan instead of accepting it unchecked.
"""

import logging
import socket
import struct
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger("aduan.virus")

CHUNK = 64 * 1024
MAX_REPLY = 4096


class ScannerDown(Exception):
    """The scanner is configured but did not give a verdict; str() says why (for logs)."""


def scanner_configured() -> bool:
    return bool(getattr(settings, "CLAMD", ""))


def clamd_address(value: str) -> tuple[int, str | tuple[str, int]]:
    """(socket family, address) for "tcp://host:port" or "unix:///path"; ValueError else."""
    parts = urlsplit(value)
    if parts.scheme == "unix" and parts.path:
        return socket.AF_UNIX, parts.path
    if parts.scheme == "tcp" and parts.hostname:
        try:
            port = parts.port or 3310
        except ValueError:
            raise ValueError(f"{value!r}: the port is not a number") from None
        return socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET, (
            parts.hostname,
            port,
        )
    raise ValueError(f"{value!r} is not tcp://host:port or unix:///path")


def virus_scan(content: bytes, *, address: str | None = None, timeout: float | None = None):
    """The signature clamd finds in `content`, or None when it finds none. Raises
    ScannerDown when the scanner does not answer with a verdict."""
    address = address or settings.CLAMD
    timeout = timeout if timeout is not None else settings.CLAMD_TIMEOUT
    family, where = clamd_address(address)
    try:
        with socket.socket(family, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(where)
            conn.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                conn.sendall(struct.pack(">I", len(chunk)) + chunk)
            conn.sendall(struct.pack(">I", 0))
            reply = _reply(conn)
    except OSError as exc:  # refused, unreachable, timed out, reset
        raise ScannerDown(f"clamd at {address}: {type(exc).__name__}: {exc}") from None
    if reply.endswith(" FOUND"):
        return reply.removeprefix("stream:").removesuffix(" FOUND").strip() or "unknown"
    if reply == "stream: OK":
        return None
    raise ScannerDown(f"clamd at {address} answered {reply[:200]!r}")


def _reply(conn: socket.socket) -> str:
    data = b""
    while b"\0" not in data and len(data) < MAX_REPLY:
        piece = conn.recv(MAX_REPLY)
        if not piece:
            break
        data += piece
    return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


# The scan states an attachment can be in (complaints.Attachment.ScanState's values).
NONE, CLEAN, HELD, INFECTED = "none", "clean", "held", "infected"


class Scan:
    """The scans of one request's files: once the scanner has failed, the rest are held
    without waiting for it again. Called with the content, returns (state, detail): NONE
    when no scanner is configured, CLEAN, HELD (detail: why) or INFECTED (the signature)."""

    def __init__(self):
        self.down: str | None = None

    def __call__(self, content: bytes) -> tuple[str, str]:
        if not scanner_configured():
            return NONE, ""
        if self.down is not None:
            return HELD, self.down
        try:
            signature = virus_scan(content)
        except ScannerDown as exc:
            self.down = str(exc)
            logger.warning("Virus scanner unavailable, holding uploads for review: %s", exc)
            return HELD, self.down
        if signature is not None:
            return INFECTED, signature
        return CLEAN, ""
