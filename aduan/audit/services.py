"""The audit log: every action is recorded here, in the transaction that does it.

Each event's hash covers its fields and the previous event's hash; the one-row AuditHead
holds the last hash and is locked while appending, so concurrent appends form one chain.
audit_chain_check walks the chain and says where and how it first breaks (docs/audit.md).
"""

import hashlib
import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from aduan.audit.models import AuditEvent, AuditHead

GENESIS = "0" * 64

# Why a chain is broken, as audit_chain_check names it.
CONTENT_CHANGED = "content changed"
EVENT_MISSING = "event missing"
ORDER_CHANGED = "order changed"
HEAD_MISMATCH = "head mismatch"


def _digest(
    *,
    prev_hash: str,
    at,
    actor_id,
    actor_label: str,
    action,
    target_type,
    target_id,
    complaint_id,
    data,
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
            actor_label,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _digest_of(event: AuditEvent) -> str:
    """The hash `event` should carry, given its stored fields and stored prev_hash."""
    return _digest(
        prev_hash=event.prev_hash,
        at=event.at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        complaint_id=event.complaint_id,
        data=event.data,
    )


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
    actor_label = str(actor) if actor_id else ""
    target_type = target._meta.label_lower if target is not None else ""
    target_id = str(target.pk) if target is not None else ""
    # No savepoint of its own: an event that cannot be written fails the change it records.
    with transaction.atomic(savepoint=False):
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS}
        )
        at = timezone.now()
        digest = _digest(
            prev_hash=head.last_hash,
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            target_type=target_type,
            target_id=target_id,
            complaint_id=complaint_id,
            data=data,
        )
        event = AuditEvent.objects.create(
            at=at,
            actor_id=actor_id,
            actor_label=actor_label,
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


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold: why, at which event, and in words.

    `event` is the first stored event (in id order) that does not fit; for a head mismatch
    it is the last stored event (None when the log is empty).
    """

    reason: str
    event: AuditEvent | None
    detail: str


def _head_hash() -> str | None:
    return AuditHead.objects.filter(pk=1).values_list("last_hash", flat=True).first()


def audit_chain_check() -> tuple[int, ChainBreak | None]:
    """Walk the chain in id order; return (events walked, the first break or None).

    Each event must carry the hash of its own fields (else: content changed) and name the
    previous event's hash (else: the event it names is elsewhere in the log, order changed,
    or nowhere, event missing). The head must name the last event (else: head mismatch).
    Reads only; events appended while it walks do not make it fail.
    """
    head = _head_hash()  # read first: every event it can name is in the walk below
    prev, count, last, head_seen_at = GENESIS, 0, None, None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.hash != _digest_of(event):
            return count, ChainBreak(
                CONTENT_CHANGED,
                event,
                "its stored hash does not match its fields: the event was changed",
            )
        if event.prev_hash != prev:
            if (
                event.prev_hash != GENESIS
                and not AuditEvent.objects.filter(hash=event.prev_hash).exists()
            ):
                return count, ChainBreak(
                    EVENT_MISSING,
                    event,
                    "the event it follows is not in the log: it was deleted, or the event "
                    "before it was changed and its hash recomputed",
                )
            return count, ChainBreak(
                ORDER_CHANGED,
                event,
                "it follows an event stored elsewhere in the log: events were reordered",
            )
        prev, count, last = event.hash, count + 1, event
        if event.hash == head:
            head_seen_at = count
    if head is None:
        if count == 0:
            return 0, None
        return count, ChainBreak(HEAD_MISMATCH, last, "the chain's head row is missing")
    if head == prev:
        return count, None
    if head_seen_at is None:
        return count, ChainBreak(
            HEAD_MISMATCH,
            last,
            "the head names a hash no stored event has: the latest events were deleted, "
            "or the head was altered",
        )
    if _head_hash() != head:  # the head moved on while we walked: new events, all linked
        return count, None
    return count, ChainBreak(
        HEAD_MISMATCH,
        last,
        f"the head names event {head_seen_at} of {count}: events were added after it "
        "without moving the head, or the head was set back",
    )


def audit_verify() -> tuple[bool, AuditEvent | None]:
    """(True, None) if the chain holds, else (False, the first event that does not fit);
    (False, None) when only the head does not match (the latest events were removed)."""
    _count, broken = audit_chain_check()
    if broken is None:
        return True, None
    return False, None if broken.reason == HEAD_MISMATCH else broken.event
