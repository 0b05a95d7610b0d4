"""Files a citizen attaches: to the form before the complaint exists, to a reply, or
through the API.

Each file is checked by its content (JPEG, PNG or PDF, at most 5 MB and 40 megapixels, at
most 5 per complaint), images are re-encoded without their metadata (camera, GPS position,
comments: aduan.lib.files), and each is scanned for viruses when a scanner is configured
(aduan.lib.virus): an infected file is refused; when the scanner is down the file is
accepted but held (Attachment.ScanState.HELD) until `manage.py attachments_rescan` clears
it. On the form, the files are kept as PendingUploads of the browser session that sent
them, so the form can come back with errors without asking for the files again; they are
scanned again when they become attachments. Every read and delete filters on the session
key: a token from another session finds nothing.
"""

import hashlib
import logging
import math
import secrets
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.audit.services import audit_record
from aduan.complaints.services import NewAttachment
from aduan.lib import virus
from aduan.lib.files import (
    MAX_BYTES,
    MAX_FILES,
    MAX_PIXELS,
    MAX_REQUEST_BYTES,
    FileRefused,
    RefusedUpload,
    file_cleaned,
    sniff_content_type,
    stored_name,
)
from aduan.public.models import PendingUpload

logger = logging.getLogger("aduan.uploads")


@dataclass(frozen=True)
class Checked:
    """A file that passed every check: what to store, under which name, scan state."""

    name: str
    content_type: str
    content: bytes
    scan_state: str

    def as_attachment(self) -> NewAttachment:
        return NewAttachment(
            name=self.name,
            content_type=self.content_type,
            size=len(self.content),
            sha256=hashlib.sha256(self.content).hexdigest(),
            file=ContentFile(self.content, name=self.name),
            scan_state=self.scan_state,
        )


def pending_list(*, session_key: str | None) -> list[PendingUpload]:
    if not session_key:
        return []
    return list(PendingUpload.objects.filter(session_key=session_key))


def _name(upload: UploadedFile) -> str:
    return upload.name or _("tanpa nama")


def upload_refusal(upload: UploadedFile, already: int) -> str | None:
    """Why this file cannot be attached, from its count, size and first bytes, as a
    sentence naming it; None when it passes these (upload_checked reads the rest)."""
    name = _name(upload)
    if already >= MAX_FILES:
        return _(
            "Berkas “%(name)s” tidak dilampirkan: paling banyak %(max)s berkas per pengaduan."
        ) % {"name": name, "max": MAX_FILES}
    if isinstance(upload, RefusedUpload):
        return _(
            "Berkas “%(name)s” tidak dilampirkan: semua berkas yang dikirim sekaligus paling "
            "besar %(max)s. Lampirkan lebih sedikit berkas setiap kali."
        ) % {"name": name, "max": filesizeformat(MAX_REQUEST_BYTES)}
    if upload.size > MAX_BYTES:
        return _("Berkas “%(name)s” berukuran %(size)s; setiap berkas paling besar %(max)s.") % {
            "name": name,
            "size": filesizeformat(upload.size),
            "max": filesizeformat(MAX_BYTES),
        }
    if upload.size == 0:
        return _("Berkas “%(name)s” kosong.") % {"name": name}
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if sniff_content_type(head) is None:
        return _not_accepted(upload)
    return None


def _not_accepted(upload: UploadedFile) -> str:
    return _(
        "Berkas “%(name)s” bukan foto JPEG/PNG atau dokumen PDF. Lampirkan berkas "
        "dengan salah satu jenis itu."
    ) % {"name": _name(upload)}


def _unreadable(upload: UploadedFile) -> str:
    return _(
        "Berkas “%(name)s” rusak atau tidak utuh dan tidak dapat dilampirkan. Lampirkan "
        "berkas aslinya sekali lagi."
    ) % {"name": _name(upload)}


def _megapixels(pixels: int) -> str:
    """40 or 40,1 (rounded up: a picture just over the limit never reads as the limit)."""
    tenths = math.ceil(pixels / 100_000)
    return str(tenths // 10) if tenths % 10 == 0 else f"{tenths // 10},{tenths % 10}"


def upload_checked(upload: UploadedFile, scan: virus.Scan | None = None) -> Checked | str:
    """The file cleaned and scanned, or a sentence saying why it cannot be attached. For a
    file upload_refusal let through (at most MAX_BYTES, read whole); the result is kept on
    the upload, so checking it again costs nothing."""
    done = getattr(upload, "_aduan_checked", None)
    if done is not None:
        return done
    upload.seek(0)
    original = upload.read()
    upload.seek(0)
    try:
        content_type, content = file_cleaned(original)
    except FileRefused as refused:
        if refused.reason == "type":
            result = _not_accepted(upload)
        elif refused.reason == "pixels":
            result = _(
                "Gambar “%(name)s” berukuran %(pixels)s megapiksel; setiap gambar paling "
                "besar %(max)s megapiksel. Perkecil gambarnya, lalu lampirkan lagi."
            ) % {
                "name": _name(upload),
                "pixels": _megapixels(refused.pixels),
                "max": _megapixels(MAX_PIXELS),
            }
        else:
            result = _unreadable(upload)
    else:
        # What the citizen sent is scanned, not only what is kept of it.
        state, detail = (scan or virus.Scan())(original)
        if state == virus.INFECTED:
            result = _infected(upload, original, detail)
        else:
            result = Checked(
                name=stored_name(upload.name or "", content_type),
                content_type=content_type,
                content=content,
                scan_state=state,
            )
    upload._aduan_checked = result
    return result


def _infected(upload: UploadedFile, content: bytes, signature: str) -> str:
    sha256 = hashlib.sha256(content).hexdigest()
    logger.warning("Upload %r refused: virus %s (sha256 %s)", upload.name, signature, sha256)
    audit_record(
        action="upload.infected",
        data={"name": (upload.name or "")[:255], "sha256": sha256, "signature": signature},
    )
    return _(
        "Berkas “%(name)s” tidak dilampirkan: pemindai virus menemukan %(signature)s di "
        "dalamnya. Periksa perangkat Anda, lalu lampirkan berkas yang bersih."
    ) % {"name": _name(upload), "signature": signature}


def pending_add(
    *, session_key: str, files: Sequence[UploadedFile]
) -> tuple[list[PendingUpload], list[str]]:
    """Keep the acceptable files for this session; return them and a sentence per refusal."""
    already = PendingUpload.objects.filter(session_key=session_key).count() if files else 0
    added, refusals = [], []
    scan = virus.Scan()
    for upload in files:
        checked = upload_refusal(upload, already) or upload_checked(upload, scan)
        if isinstance(checked, str):
            refusals.append(checked)
            continue
        token = secrets.token_urlsafe(32)
        pending = PendingUpload(
            token=token,
            session_key=session_key,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=hashlib.sha256(checked.content).hexdigest(),
            created_at=timezone.now(),
        )
        pending.file.save(token, ContentFile(checked.content), save=True)
        added.append(pending)
        already += 1
    return added, refusals


def pending_remove(*, session_key: str | None, token: str) -> bool:
    """Remove one of this session's files; a token of another session removes nothing."""
    if not session_key or not token:
        return False
    pending = PendingUpload.objects.filter(session_key=session_key, token=token).first()
    if pending is None:
        return False
    pending_discard(uploads=[pending])
    return True


@contextmanager
def pending_opened(*, uploads: Sequence[PendingUpload]) -> Iterator[list[NewAttachment]]:
    """The pending files, opened, as attachments for complaint_register. With a virus
    scanner configured, each is scanned again as it becomes an attachment: its state
    (clean, held while the scanner is down) is the state of the bytes stored."""
    scan = virus.Scan()
    with ExitStack() as stack:
        items = []
        for pending in uploads:
            handle = pending.file.open("rb")
            stack.callback(handle.close)
            state = virus.NONE
            if virus.scanner_configured():
                state, detail = scan(handle.read())
                handle.seek(0)
                if state == virus.INFECTED:  # clean or unscanned when it was added
                    logger.warning("Pending upload %s: virus %s", pending.sha256, detail)
            items.append(
                NewAttachment(
                    name=pending.original_name,
                    content_type=pending.content_type,
                    size=pending.size,
                    sha256=pending.sha256,
                    file=handle,
                    scan_state=state,
                )
            )
        yield items


def pending_lost(*, uploads: Sequence[PendingUpload]) -> list[str]:
    """Forget the files whose stored copy has gone; return their names."""
    lost = [p for p in uploads if not p.file.storage.exists(p.file.name)]
    PendingUpload.objects.filter(pk__in=[p.pk for p in lost]).delete()
    return [p.original_name for p in lost]


def pending_discard(*, uploads: Sequence[PendingUpload]) -> None:
    """Delete the rows and their stored files (after they became attachments, or removed)."""
    if not uploads:
        return  # no statement: on SQLite even an empty delete takes the write lock
    for pending in uploads:
        pending.file.delete(save=False)
    PendingUpload.objects.filter(pk__in=[p.pk for p in uploads]).delete()


def uploads_as_attachments(files: Sequence[UploadedFile]) -> list[NewAttachment]:
    """Files upload_problems accepted, as attachments for a service: cleaned, scanned,
    named by their type (a file it would refuse: ValueError with the sentence)."""
    items = []
    for upload in files:
        checked = upload_checked(upload)
        if isinstance(checked, str):
            raise ValueError(checked)
        items.append(checked.as_attachment())
    return items


def upload_problems(files: Sequence[UploadedFile]) -> list[str]:
    """A sentence for each file that cannot be attached (count, size, kind, broken, too
    many pixels, infected)."""
    scan = virus.Scan()
    problems = []
    for n, upload in enumerate(files):
        checked = upload_refusal(upload, n) or upload_checked(upload, scan)
        if isinstance(checked, str):
            problems.append(checked)
    return problems
