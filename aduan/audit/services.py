"""The audit log: every action is recorded here, in the transaction that does it."""

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from aduan.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _digest(
    *, prev_hash: str, at, actor_id, action, target_type, target_id, complaint_id, data
) -> str:
    payload = json.dumps(
        [
            prev_hash,
            at.isoformat(),
            actor_id,
            action,
            target_type,
            str(target_id),
            complaint_id,
            data,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def audit_record(
    *,
    action: str,
    actor=None,
    target=None,
    complaint_id: int | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append an event. Call inside the transaction of the change it records."""
    data = json.loads(json.dumps(data or {}, default=str))
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(target.pk) if target is not None else ""
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        at = timezone.now()
        digest = _digest(
            prev_hash=head.last_hash,
            at=at,
            actor_id=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            complaint_id=complaint_id,
            data=data,
        )
        event = AuditEvent.objects.create(
            at=at,
            actor_id=actor_id,
            actor_label=str(actor) if actor_id else "",
            action=action,
            target_type=target_type,
            target_id=target_id,
            complaint_id=complaint_id,
            data=data,
            prev_hash=head.last_hash,
            hash=digest,
        )
        AuditHead.objects.filter(pk=1).update(last_hash=digest)
    return event


def audit_verify() -> tuple[bool, AuditEvent | None]:
    """Walk the chain; return (True, None) or (False, the first event that does not match)."""
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        expected = _digest(
            prev_hash=prev,
            at=event.at,
            actor_id=event.actor_id,
            action=event.action,
            target_type=event.target_type,
            target_id=event.target_id,
            complaint_id=event.complaint_id,
            data=event.data,
        )
        if event.prev_hash != prev or event.hash != expected:
            return False, event
        prev = event.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return False, None
    return True, None
