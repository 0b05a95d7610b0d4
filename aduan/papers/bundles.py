"""Bundles of complete records: every complaint received in a period, one PDF each, in a ZIP.

An official asks for a period (bundle_request: checked, audited, queued once the
transaction commits); the worker builds it (bundle_build, via record_tasks): it claims the
bundle with one conditional UPDATE (queued → running), so two workers never build it twice,
writes the ZIP to a temporary file one PDF at a time (memory stays that of one record),
counts `done` as it goes for the page's progress, and stores the file in MEDIA_ROOT, which
is never served publicly: downloads go through a view that checks and audits them.
"""

import csv
import datetime as dt
import io
import logging
import tempfile
import zipfile
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aduan.accounts.selectors import can_read_audit_log
from aduan.audit.services import audit_record
from aduan.complaints.masking import complainant_label
from aduan.complaints.models import Complaint
from aduan.lib.sheets import csv_cell
from aduan.papers.models import RecordBundle
from aduan.papers.records import PRINT_LANGUAGE, record_context, record_filename, render_record

logger = logging.getLogger(__name__)

# A bundle holds at most this many complaints; a longer period is refused with a message.
BUNDLE_LIMIT = 2000
# The newest bundles the page lists.
LIST_LIMIT = 30
INDEX_NAME = "index.csv"
INDEX_HEADER = (
    "berkas",
    "nomor agenda",
    "kode lacak",
    "diterima",
    "saluran",
    "kategori",
    "perihal",
    "pelapor",
    "status",
)
Status = RecordBundle.Status


def period_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end): from `first` 00:00 to the end of `last`, in the office's time zone."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def complaints_received(*, first: dt.date, last: dt.date) -> QuerySet[Complaint]:
    """The complaints received from `first` to `last` (both included), in agenda order."""
    start, end = period_bounds(first, last)
    return Complaint.objects.filter(received_at__gte=start, received_at__lt=end).order_by(
        "agenda_year", "agenda_seq"
    )


@dataclass(frozen=True)
class BundleRequest:
    bundle: RecordBundle | None
    problem: str = ""  # why nothing was queued, for the person who asked

    def __bool__(self) -> bool:
        return self.bundle is not None


def bundle_request(*, user, first: dt.date, last: dt.date) -> BundleRequest:
    """Queue a bundle of the complaints received in the period, or say why not: none were
    received, or more than BUNDLE_LIMIT (choose a shorter period)."""
    count = complaints_received(first=first, last=last).count()
    if count == 0:
        return BundleRequest(None, _("Tidak ada pengaduan yang diterima pada periode ini."))
    if count > BUNDLE_LIMIT:
        return BundleRequest(
            None,
            _(
                "Periode ini memuat %(count)s pengaduan; satu berkas paling banyak %(limit)s. "
                "Pilih periode yang lebih pendek."
            )
            % {"count": count, "limit": BUNDLE_LIMIT},
        )
    from aduan.papers.record_tasks import build_record_bundle  # the task imports this module

    with transaction.atomic():
        bundle = RecordBundle.objects.create(
            requested_by=user,
            first_day=first,
            last_day=last,
            created_at=timezone.now(),
            total=count,
        )
        audit_record(
            action="bundle.requested",
            actor=user,
            target=bundle,
            data={"first_day": first, "last_day": last, "total": count},
        )
        transaction.on_commit(lambda: build_record_bundle.enqueue(bundle.pk))
    return BundleRequest(bundle)


def bundles_for(*, user) -> list[RecordBundle]:
    """The bundles the page lists, newest first: the user's own; every one for auditors
    and admins (who may download them all). One query."""
    bundles = RecordBundle.objects.select_related("requested_by").order_by("-created_at", "-id")
    if not can_read_audit_log(user=user):
        bundles = bundles.filter(requested_by=user)
    return list(bundles[:LIST_LIMIT])


def bundle_filename(bundle: RecordBundle) -> str:
    return f"lembar-pengaduan_{bundle.first_day.isoformat()}_{bundle.last_day.isoformat()}.zip"


def _index_row(complaint: Complaint, name: str) -> list[str]:
    received = timezone.localtime(complaint.received_at, timezone.get_default_timezone())
    return [
        csv_cell(value)
        for value in (
            name,
            complaint.agenda_number,
            complaint.tracking_code,
            received.strftime("%Y-%m-%d %H:%M"),
            str(complaint.get_channel_display()),
            str(complaint.category),
            complaint.subject,
            str(complainant_label(complaint)),
            str(complaint.get_status_display()),
        )
    ]


def _index_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # the BOM: Excel then reads the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(INDEX_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _write_zip(bundle: RecordBundle, target) -> int:
    """Write the bundle's ZIP into the file object `target`; the number of records."""
    ids = list(
        complaints_received(first=bundle.first_day, last=bundle.last_day).values_list(
            "pk", flat=True
        )
    )
    RecordBundle.objects.filter(pk=bundle.pk).update(total=len(ids), done=0)
    rows = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, pk in enumerate(ids, start=1):
            context = record_context(complaint_id=pk, printed_by=bundle.requested_by)
            if context is not None:  # a complaint deleted meanwhile is left out
                complaint = context["complaint"]
                name = record_filename(complaint)
                archive.writestr(name, render_record(context))
                with translation.override(PRINT_LANGUAGE):
                    rows.append(_index_row(complaint, name))
            RecordBundle.objects.filter(pk=bundle.pk).update(done=done)
        archive.writestr(INDEX_NAME, _index_csv(rows))
    return len(rows)


def bundle_build(*, bundle_id: int) -> bool:
    """Build one queued bundle. Returns False when it was not queued (another run claimed
    it) or when the build failed; a failure is kept on the bundle as a plain sentence."""
    claimed = RecordBundle.objects.filter(pk=bundle_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return False
    bundle = RecordBundle.objects.select_related("requested_by").get(pk=bundle_id)
    try:
        with tempfile.TemporaryFile() as target:
            _write_zip(bundle, target)
            size = target.tell()
            target.seek(0)
            bundle.file.save(
                f"{bundle_filename(bundle)[:-4]}_{bundle.pk}.zip", File(target), save=False
            )
    except Exception as exc:  # the worker must record a failure, whatever it is
        logger.exception("record bundle %s failed", bundle_id)
        RecordBundle.objects.filter(pk=bundle_id).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=_failure_text(exc),
        )
        return False
    RecordBundle.objects.filter(pk=bundle_id).update(
        status=Status.DONE, finished_at=timezone.now(), file=bundle.file.name, size=size
    )
    return True


def _failure_text(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"Berkas tidak dapat ditulis ({exc.strerror or type(exc).__name__})."
    return f"Pembuatan berkas gagal ({type(exc).__name__}). Lihat log aplikasi, lalu minta lagi."
