"""Writing to the outbox: call inside the transaction of the event the message is about."""

from django.utils import timezone

from aduan.notify.models import Delivery


def delivery_enqueue(
    *,
    event_key: str,
    kind: str,
    channel: str,
    to: str,
    body: str,
    subject: str = "",
    params: list | tuple = (),
    complaint=None,
    user=None,
    complaint_id: int | None = None,
    user_id: int | None = None,
    now=None,
) -> Delivery:
    """Queue one message for the worker. The same `event_key` twice makes one message."""
    now = now or timezone.now()
    delivery, _created = Delivery.objects.get_or_create(
        event_key=event_key[:200],
        defaults={
            "kind": kind,
            "channel": channel,
            "to": to,
            "subject": subject[:300],
            "body": body,
            "params": list(params),
            "complaint_id": complaint.pk if complaint is not None else complaint_id,
            "user_id": user.pk if user is not None else user_id,
            "created_at": now,
            "next_attempt_at": now,
        },
    )
    return delivery


def deliveries_enqueue(rows: list[dict], *, now=None) -> int:
    """Queue several messages in one INSERT (rows: delivery_enqueue's keyword arguments,
    with complaint_id/user_id). A row whose event_key is already queued is skipped."""
    if not rows:
        return 0
    now = now or timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                event_key=row["event_key"][:200],
                kind=row["kind"],
                channel=row["channel"],
                to=row["to"],
                subject=row.get("subject", "")[:300],
                body=row["body"],
                params=list(row.get("params", ())),
                complaint_id=row.get("complaint_id"),
                user_id=row.get("user_id"),
                letter_id=row.get("letter_id"),
                created_at=now,
                next_attempt_at=now,
            )
            for row in rows
        ],
        ignore_conflicts=True,
    )
    return len(rows)
