"""Pausing sign-in after repeated failures, in the database so that every web process sees
the same counts.

A pause is keyed on the username and the client's address: officials behind one office
address (NAT) are not locked out by a colleague's typing, and an attacker elsewhere cannot
lock an official out of the office. A looser limit per address across usernames stops
password spraying. A pause applies to any username typed, existing or not, and reads the
same, so it says nothing about which accounts exist.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from aduan.accounts.models import LoginFailure, LoginLockout, User
from aduan.audit.services import audit_record

logger = logging.getLogger("aduan.accounts.login")

USERNAME_MAX = 150


def username_key(username: str) -> str:
    """Usernames are counted case-insensitively: "Budi" and "budi" share a count."""
    return (username or "").strip().casefold()[:USERNAME_MAX]


def _period() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def login_paused_until(*, username: str, address: str) -> dt.datetime | None:
    """Until when sign-in as `username` from `address` is paused, or None (one query)."""
    return LoginLockout.objects.filter(
        Q(username=username_key(username)) | Q(username=""),
        address=address,
        until__gt=timezone.now(),
    ).aggregate(until=Max("until"))["until"]


def login_failure_record(*, username: str, address: str, reason: str) -> dt.datetime | None:
    """Count a failed sign-in ("password" or "code"); audit and log it. When it reaches a
    limit, pause sign-in (audited and logged as well) and return until when."""
    now = timezone.now()
    key = username_key(username)
    since = now - _period()
    with transaction.atomic():
        # Old rows go as new ones come: the table holds one lockout period at most.
        LoginFailure.objects.filter(at__lt=since).delete()
        LoginLockout.objects.filter(until__lt=since).delete()
        LoginFailure.objects.create(username=key, address=address, at=now)
        user = User.objects.filter(username=username).first() if username else None
        audit_record(
            action="login.failed",
            target=user,
            data={"username": key, "address": address, "reason": reason},
        )
        logger.warning("sign-in failed (%s) for %r from %s", reason, key, address)
        recent = LoginFailure.objects.filter(address=address, at__gte=since)
        until = None
        if recent.filter(username=key).count() >= settings.LOGIN_MAX_FAILURES:
            until = _pause(username=key, address=address, now=now, scope="user", user=user)
        if recent.count() >= settings.LOGIN_ADDRESS_MAX_FAILURES:
            until = _pause(username="", address=address, now=now, scope="address", user=None)
    return until


def _pause(*, username: str, address: str, now, scope: str, user) -> dt.datetime:
    until = now + _period()
    LoginLockout.objects.create(username=username, address=address, until=until, created_at=now)
    audit_record(
        action="login.locked",
        target=user,
        data={"username": username, "address": address, "scope": scope, "until": until},
    )
    logger.warning(
        "sign-in paused until %s for %s from %s",
        until.isoformat(),
        repr(username) if username else "every username",
        address,
    )
    return until


def login_failures_clear(*, username: str, address: str) -> None:
    """After a complete sign-in: the username's failures from this address are forgotten."""
    LoginFailure.objects.filter(username=username_key(username), address=address).delete()


def login_lockout_lift(*, lockout: LoginLockout, actor) -> None:
    """An administrator lifts a pause before its time (audited)."""
    with transaction.atomic():
        audit_record(
            action="login.unlocked",
            actor=actor,
            data={"username": lockout.username, "address": lockout.address},
        )
        LoginFailure.objects.filter(address=lockout.address).filter(
            Q(username=lockout.username) if lockout.username else Q()
        ).delete()
        lockout.delete()
