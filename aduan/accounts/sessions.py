"""Officials' sessions: stamped at sign-in, ended when idle, too old, or no longer allowed.

The stamps are set by the user_logged_in signal, so every way of signing in carries them;
aduan.accounts.middleware reads them on each request.
"""

from django.conf import settings
from django.utils import timezone

SIGNED_IN_AT = "aduan_signed_in_at"
SEEN_AT = "aduan_seen_at"
# True when the sign-in was completed with a second factor, False with the password alone;
# absent for sessions not opened through the sign-in page (tests' force_login).
SECOND_FACTOR = "aduan_second_factor"
# The last-seen stamp is rewritten at most this often: not a database write per request.
SEEN_RESOLUTION_SECONDS = 60


def now_stamp() -> float:
    return timezone.now().timestamp()


def session_stamp(session) -> None:
    now = now_stamp()
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    # The stored session (and its cookie) expires a little after the idle limit too.
    session.set_expiry(settings.SESSION_IDLE_MINUTES * 60 + SEEN_RESOLUTION_SECONDS)


def session_end_reason(session, *, now: float) -> str | None:
    """ "unstamped", "idle" or "expired" when the session must end, else None."""
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if signed_in_at is None or seen_at is None:
        return "unstamped"
    if now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - signed_in_at > settings.SESSION_MAX_HOURS * 3600:
        return "expired"
    return None
