"""Photos sent as `media_url`: fetched once, checked and stripped like any upload.

Only http and https; the host is resolved once and every address it resolves to must be a
public one (not private, loopback, link-local, multicast or reserved: no reaching into the
office's own network), and the connection goes to that checked address. At most three
redirects, each checked the same way; 10 seconds; 5 MB; JPEG or PNG by content; then the
photo is re-encoded without its metadata (EXIF, GPS...) and scanned for viruses when a
scanner is configured. Any failure raises MediaRefused with a sentence.

Tests serve photos from 127.0.0.1: the setting OPEN311_MEDIA_ALLOW_PRIVATE (default
False) lets private addresses through.
"""

import hashlib
import http.client
import ipaddress
import socket
import ssl
import time
from posixpath import basename
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aduan.complaints.services import NewAttachment
from aduan.lib import virus
from aduan.lib.files import MAX_BYTES, FileRefused, file_cleaned, sniff_content_type, stored_name

TIMEOUT = 10  # seconds, for the whole fetch
MAX_REDIRECTS = 3
PHOTO_TYPES = ("image/jpeg", "image/png")
USER_AGENT = "Aduan-Open311/1.0"


class MediaRefused(Exception):
    """The photo cannot be taken; str() is a sentence for the client."""


def _allow_private() -> bool:
    return bool(getattr(settings, "OPEN311_MEDIA_ALLOW_PRIVATE", False))


def address_refusal(address: str) -> str | None:
    """Why an IP address may not be fetched from, or None."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if _allow_private():
        return None
    if ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_reserved:
        return _("alamat %(ip)s adalah alamat jaringan internal") % {"ip": ip}
    if ip.is_multicast or ip.is_unspecified or not ip.is_global:
        return _("alamat %(ip)s bukan alamat publik") % {"ip": ip}
    return None


def _resolved(host: str, port: int) -> str:
    """One checked address for the host: every address it resolves to must pass."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError):
        raise MediaRefused(_("nama host “%(host)s” tidak ditemukan") % {"host": host}) from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        problem = address_refusal(address)
        if problem:
            raise MediaRefused(problem)
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address checked beforehand, whatever DNS says now."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _get(url: str, deadline: float) -> http.client.HTTPResponse:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaRefused(_("hanya alamat http:// atau https:// yang diterima"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise MediaRefused(_("nomor port pada alamat tidak sah")) from None
    address = _resolved(parts.hostname, port)
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    timeout = max(deadline - time.monotonic(), 0.1)
    connection = kind(parts.hostname, port, address=address, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
    return connection.getresponse()


def _body(response: http.client.HTTPResponse, deadline: float) -> bytes:
    declared = response.getheader("Content-Length") or ""
    too_big = _("foto lebih besar dari %(max)s") % {"max": filesizeformat(MAX_BYTES)}
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise MediaRefused(too_big)
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            raise MediaRefused(too_big)
        if time.monotonic() > deadline:
            raise MediaRefused(_("pengambilan foto melewati %(s)s detik") % {"s": TIMEOUT})
        chunks.append(chunk)
    return b"".join(chunks)


def _fetched(url: str) -> bytes:
    deadline = time.monotonic() + TIMEOUT
    for _hop in range(MAX_REDIRECTS + 1):
        response = _get(url, deadline)
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location") or ""
            response.close()
            if not location:
                break
            url = urljoin(url, location)
            continue
        if response.status != 200:
            response.close()
            raise MediaRefused(
                _("server foto menjawab dengan status %(status)s") % {"status": response.status}
            )
        try:
            return _body(response, deadline)
        finally:
            response.close()
    raise MediaRefused(_("terlalu banyak pengalihan (redirect)"))


def media_fetched(url: str) -> NewAttachment:
    """The photo at `url`, checked and stripped, ready to attach. Raises MediaRefused."""
    if len(url) > 2000:
        raise MediaRefused(_("alamat terlalu panjang"))
    try:
        content = _fetched(url)
    except MediaRefused:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise MediaRefused(
            _("foto tidak dapat diambil (%(reason)s)") % {"reason": type(exc).__name__}
        ) from None
    content_type = sniff_content_type(content[:16])
    if content_type not in PHOTO_TYPES:
        raise MediaRefused(_("berkas pada alamat itu bukan foto JPEG atau PNG"))
    try:
        content_type, cleaned = file_cleaned(content)  # re-encoded: no EXIF, no GPS
    except FileRefused as refused:
        if refused.reason == "pixels":
            raise MediaRefused(_("foto lebih dari 40 megapiksel")) from None
        raise MediaRefused(_("foto rusak atau tidak lengkap")) from None
    state, detail = virus.Scan()(content)
    if state == virus.INFECTED:
        raise MediaRefused(_("pemindai virus menemukan %(signature)s") % {"signature": detail})
    name = stored_name(basename(urlsplit(url).path)[:200] or "media_url", content_type)
    return NewAttachment(
        name=name,
        content_type=content_type,
        size=len(cleaned),
        sha256=hashlib.sha256(cleaned).hexdigest(),
        file=ContentFile(cleaned, name=name),
        scan_state=state,
    )
