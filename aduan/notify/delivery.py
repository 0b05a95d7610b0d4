"""The worker's side of the outbox: claim due messages, send each once, record the result.

A row is claimed with one conditional UPDATE (queued and due → sending, with a claim token
and a lease); only the worker whose UPDATE changed the row sends it, so two workers never
send the same message. The result is recorded only under the same token.

A worker that vanishes while sending leaves its row "sending" after the lease runs out.
Another worker then takes it over: on a channel whose provider honours an idempotency key
the message is sent again with the same key (the provider keeps one); on the others it is
marked failed, "may have been sent", rather than risk a second copy: at most once.

Failures: a temporary one (provider down, timeout, HTTP 5xx/429) is retried after 1, 2, 4,
… minutes (capped at an hour) until NOTIFY_MAX_ATTEMPTS tries; a permanent one (address
refused, HTTP 4xx) fails at once. A failed message and its reason show on the complaint.
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from aduan.notify.channels import channel_get
from aduan.notify.channels.base import Outgoing, PermanentFailure, TemporaryFailure
from aduan.notify.models import Delivery

logger = logging.getLogger("aduan.notify")

LEASE = dt.timedelta(minutes=5)
UNCERTAIN = (
    "Pengirim berhenti di tengah pengiriman; pesan mungkin sudah terkirim, maka tidak dikirim "
    "ulang agar tidak ganda."
)


@dataclass
class SendCounts:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"terkirim {self.sent}, diulang {self.retrying}, gagal {self.failed}"


def backoff(attempts: int) -> dt.timedelta:
    """The wait before try number attempts+1: 1, 2, 4, … minutes, at most an hour."""
    return dt.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def _claim(delivery_id: int, now: dt.datetime) -> tuple[str, bool] | None:
    """Claim a row for this worker: (token, taken_over) or None when another has it."""
    token = secrets.token_hex(8)
    fresh = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.QUEUED, next_attempt_at__lte=now
    ).update(status=Delivery.Status.SENDING, claim=token, claimed_until=now + LEASE)
    if fresh:
        return token, False
    stale = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.SENDING, claimed_until__lt=now
    ).update(claim=token, claimed_until=now + LEASE)
    return (token, True) if stale else None


def _finish(delivery_id: int, token: str, **fields) -> bool:
    return bool(Delivery.objects.filter(pk=delivery_id, claim=token).update(claim="", **fields))


def _attachments(row: Delivery) -> list:
    """The answer letter's PDF for an email that carries it (rendered now if need be)."""
    if not row.letter_id or row.channel != "email":
        return []
    from aduan.papers.letters import letter_pdf_bytes, letter_ready

    letter = letter_ready(letter=row.letter)
    content = letter_pdf_bytes(letter=letter) if letter else None
    if content is None:
        raise TemporaryFailure("surat jawaban belum dapat dibuat")
    name = "surat-jawaban-" + letter.complaint.agenda_number.replace("/", "-") + ".pdf"
    return [(name, content, "application/pdf")]


def _try_again(row: Delivery, token: str, attempts: int, now, error: str) -> str:
    """A temporary failure: queue the next try after the back-off, or give up after
    NOTIFY_MAX_ATTEMPTS tries."""
    if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        _finish(
            row.pk,
            token,
            status=Delivery.Status.FAILED,
            attempts=attempts,
            last_error=f"{error} (menyerah setelah {attempts} kali)",
        )
        return "failed"
    _finish(
        row.pk,
        token,
        status=Delivery.Status.QUEUED,
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        last_error=error,
    )
    return "retrying"


def delivery_send_one(delivery_id: int, *, now: dt.datetime | None = None) -> str | None:
    """Claim and send one message. Returns "sent", "retrying", "failed" or None (not ours)."""
    now = now or timezone.now()
    claimed = _claim(delivery_id, now)
    if claimed is None:
        return None
    token, taken_over = claimed
    row = Delivery.objects.get(pk=delivery_id)
    channel = channel_get(row.channel)
    if taken_over and not channel.idempotent:
        _finish(row.pk, token, status=Delivery.Status.FAILED, last_error=UNCERTAIN)
        return "failed"
    attempts = row.attempts + 1
    try:
        message = Outgoing(
            to=row.to,
            subject=row.subject,
            body=row.body,
            idempotency_key=str(row.idempotency_key),
            kind=row.kind,
            params=list(row.params),
            attachments=_attachments(row),
        )
        provider_id = channel.send(message)
    except TemporaryFailure as exc:
        return _try_again(row, token, attempts, now, str(exc))
    except PermanentFailure as exc:
        _finish(
            row.pk, token, status=Delivery.Status.FAILED, attempts=attempts, last_error=str(exc)
        )
        return "failed"
    except Exception as exc:  # a bug in a channel must not stop the worker
        logger.exception("notify: channel %s failed on delivery %s", row.channel, row.pk)
        return _try_again(row, token, attempts, now, f"galat: {exc}")
    _finish(
        row.pk,
        token,
        status=Delivery.Status.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        provider_id=provider_id[:200],
        last_error="",
    )
    return "sent"


def deliveries_send(*, now: dt.datetime | None = None, batch: int = 50) -> SendCounts:
    """One pass of the worker: send what is due (oldest first), take over stale claims."""
    now = now or timezone.now()
    due = (
        Delivery.objects.filter(
            Q(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
            | Q(status=Delivery.Status.SENDING, claimed_until__lt=now)
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:batch]
    )
    counts = SendCounts()
    for delivery_id in list(due):
        result = delivery_send_one(delivery_id, now=now)
        if result == "sent":
            counts.sent += 1
        elif result == "retrying":
            counts.retrying += 1
        elif result == "failed":
            counts.failed += 1
    return counts
