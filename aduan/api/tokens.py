"""Creating, revoking and reading API tokens; every creation and revocation is audited."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from aduan.accounts.selectors import is_official
from aduan.api.models import ApiToken
from aduan.audit.services import audit_record

PREFIX = "adu_"  # tells a reader of a log or a config file what the string is
TOUCH_EVERY = dt.timedelta(minutes=1)
MAX_NAME = 100


@dataclass(frozen=True)
class NewToken:
    token: ApiToken | None
    secret: str  # shown once; "" when refused
    message: str = ""

    def __bool__(self) -> bool:
        return self.token is not None


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_create(*, user, name: str, actor) -> NewToken:
    """A new token for `user`, created by `actor` (the official themself or an admin)."""
    name = " ".join((name or "").split())
    if not name:
        return NewToken(None, "", _("Tuliskan nama token, misalnya nama aplikasinya."))
    if len(name) > MAX_NAME:
        return NewToken(
            None, "", _("Nama token paling banyak %(max)s karakter.") % {"max": MAX_NAME}
        )
    if not is_official(user=user):
        return NewToken(None, "", _("Token API hanya untuk petugas yang memegang peran."))
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            key_hash=key_hash(secret),
            prefix=secret[len(PREFIX) : len(PREFIX) + 8],
            created_at=timezone.now(),
        )
        audit_record(
            action="api_token.created",
            actor=actor,
            target=token,
            data={"user": user.pk, "name": name, "prefix": token.prefix},
        )
    return NewToken(token, secret)


def token_revoke(*, token_id: int, actor, owner=None) -> bool:
    """Revoke a token (of `owner` only, when given); False when there was none to revoke."""
    tokens = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
    if owner is not None:
        tokens = tokens.filter(user=owner)
    with transaction.atomic():
        token = tokens.select_for_update().first()
        if token is None:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="api_token.revoked",
            actor=actor,
            target=token,
            data={"user": token.user_id, "name": token.name, "prefix": token.prefix},
        )
    return True


def tokens_of(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def token_user(*, secret: str, now: dt.datetime | None = None):
    """The active official a bearer secret belongs to, or None (unknown, revoked, inactive
    user). One query, plus one UPDATE at most once a minute per token."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
