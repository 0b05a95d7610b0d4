"""Files a citizen attaches before the complaint exists.

Each file is checked by its content (JPEG, PNG or PDF, at most 5 MB, at most 5 per
complaint), stripped of its metadata (camera, GPS position, comments: aduan.lib.files) and
kept as a PendingUpload of the browser session that sent it, so the form can come back with
errors without asking for the files again. Every read and delete filters on
the session key: a token from another session finds nothing.
"""

import hashlib
import secrets
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.complaints.services import NewAttachment
from aduan.lib.files import MAX_BYTES, MAX_FILES, sniff_content_type, strip_metadata
from aduan.public.models import PendingUpload


def pending_list(*, session_key: str | None) -> list[PendingUpload]:
    if not session_key:
        return []
    return list(PendingUpload.objects.filter(session_key=session_key))


def upload_refusal(upload: UploadedFile, already: int) -> str | None:
    """Why this file cannot be attached, as a sentence naming it; None when it can."""
    name = upload.name or _("tanpa nama")
    if already >= MAX_FILES:
        return _(
            "Berkas “%(name)s” tidak dilampirkan: paling banyak %(max)s berkas per pengaduan."
        ) % {"name": name, "max": MAX_FILES}
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
        return _(
            "Berkas “%(name)s” bukan foto JPEG/PNG atau dokumen PDF. Lampirkan berkas "
            "dengan salah satu jenis itu."
        ) % {"name": name}
    return None


def _cleaned(upload: UploadedFile) -> tuple[str, bytes] | None:
    """(content type, content without metadata: camera, GPS, comments), or None for a file
    whose structure is broken. Files are at most MAX_BYTES, read whole."""
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    content_type = sniff_content_type(content[:16])
    try:
        return content_type, strip_metadata(content, content_type)
    except ValueError:
        return None


def _unreadable(upload: UploadedFile) -> str:
    return _(
        "Berkas “%(name)s” rusak atau tidak utuh dan tidak dapat dilampirkan. Lampirkan "
        "berkas aslinya sekali lagi."
    ) % {"name": upload.name or _("tanpa nama")}


def pending_add(
    *, session_key: str, files: Sequence[UploadedFile]
) -> tuple[list[PendingUpload], list[str]]:
    """Keep the acceptable files for this session; return them and a sentence per refusal."""
    already = PendingUpload.objects.filter(session_key=session_key).count() if files else 0
    added, refusals = [], []
    for upload in files:
        problem = upload_refusal(upload, already)
        if problem:
            refusals.append(problem)
            continue
        cleaned = _cleaned(upload)
        if cleaned is None:
            refusals.append(_unreadable(upload))
            continue
        content_type, content = cleaned
        token = secrets.token_urlsafe(32)
        pending = PendingUpload(
            token=token,
            session_key=session_key,
            original_name=(upload.name or "")[:255],
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            created_at=timezone.now(),
        )
        pending.file.save(token, ContentFile(content), save=True)
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
    """The pending files, opened, as attachments for complaint_register."""
    with ExitStack() as stack:
        items = []
        for pending in uploads:
            handle = pending.file.open("rb")
            stack.callback(handle.close)
            items.append(
                NewAttachment(
                    name=pending.original_name,
                    content_type=pending.content_type,
                    size=pending.size,
                    sha256=pending.sha256,
                    file=handle,
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
    for pending in uploads:
        pending.file.delete(save=False)
    PendingUpload.objects.filter(pk__in=[p.pk for p in uploads]).delete()


def uploads_as_attachments(files: Sequence[UploadedFile]) -> list[NewAttachment]:
    """Files already checked by upload_refusal, as attachments for a service, their
    metadata removed (a file whose structure is broken: ValueError, see upload_problems)."""
    items = []
    for upload in files:
        cleaned = _cleaned(upload)
        if cleaned is None:
            raise ValueError(_unreadable(upload))
        content_type, content = cleaned
        items.append(
            NewAttachment(
                name=upload.name or "",
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                file=ContentFile(content, name=upload.name or "lampiran"),
            )
        )
    return items


def upload_problems(files: Sequence[UploadedFile]) -> list[str]:
    """A sentence for each file that cannot be attached (kind, size, count, broken)."""
    problems = [p for n, f in enumerate(files) if (p := upload_refusal(f, n))]
    if not problems:
        problems = [_unreadable(f) for f in files if _cleaned(f) is None]
    return problems
