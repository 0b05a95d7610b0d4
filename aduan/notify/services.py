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
            "complaint": complaint,
            "user": user,
            "created_at": now,
            "next_attempt_at": now,
        },
    )
    return delivery
