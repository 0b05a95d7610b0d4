"""Open311 API keys: made, checked and revoked here only. Every change is audited."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aduan.audit.services import audit_record
from aduan.open311.models import Open311Key


class KeyProblem(LookupError):
    """No single active key matches (a sentence for the person who asked)."""


LAST_USED_EVERY = timedelta(minutes=1)


def key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def key_create(*, name: str, actor=None) -> tuple[Open311Key, str]:
    """A new key named `name`; returns it and the secret, which exists only now."""
    name = name.strip()
    if not name:
        raise KeyProblem("A key needs a name.")
    with transaction.atomic():
        if Open311Key.objects.filter(name=name, revoked_at__isnull=True).exists():
            raise KeyProblem(f"An active key named {name!r} exists; revoke it first.")
        secret = secrets.token_urlsafe(32)
        while secret.startswith("-"):  # its prefix is typed on command lines (revoke)
            secret = secrets.token_urlsafe(32)
        key = Open311Key.objects.create(
            name=name,
            key_hash=key_digest(secret),
            prefix=secret[:8],
            created_at=timezone.now(),
        )
        audit_record(
            action="open311.key_created",
            actor=actor,
            target=key,
            data={"name": name, "prefix": key.prefix},
        )
    return key, secret


def key_revoke(*, key: Open311Key, actor=None) -> bool:
    """Revoke the key; False when it was revoked already."""
    with transaction.atomic():
        done = Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if done:
            audit_record(
                action="open311.key_revoked",
                actor=actor,
                target=key,
                data={"name": key.name, "prefix": key.prefix},
            )
    key.refresh_from_db()
    return bool(done)


def key_named(*, name_or_prefix: str) -> Open311Key:
    """The one active key with this name or prefix."""
    text = name_or_prefix.strip()
    found = list(
        Open311Key.objects.filter(Q(name=text) | Q(prefix=text), revoked_at__isnull=True)[:2]
    )
    if not found:
        raise KeyProblem(f"No active key is named {text!r} or starts with it.")
    if len(found) > 1:
        raise KeyProblem(f"More than one active key matches {text!r}; use the prefix.")
    return found[0]


def key_used(*, key: Open311Key) -> None:
    """Note the key's use now. Noted to the minute by its callers: a write on every
    request would cost each filing a statement."""
    now = timezone.now()
    Open311Key.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now
