"""Ends an official's session at the first request after it stops being valid: the account
was disabled (or deleted), the session was idle too long or is older than the absolute
lifetime, or the account now needs a second factor the sign-in did not have."""

import logging

from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from aduan.accounts.selectors import must_use_second_factor
from aduan.accounts.sessions import (
    SECOND_FACTOR,
    SEEN_AT,
    SEEN_RESOLUTION_SECONDS,
    now_stamp,
    session_end_reason,
)

logger = logging.getLogger("aduan.accounts.login")

ENDED = {
    "idle": _("Sesi Anda berakhir karena lama tidak ada kegiatan. Silakan masuk lagi."),
    "expired": _("Sesi Anda sudah terlalu lama berjalan dan diakhiri. Silakan masuk lagi."),
    "unstamped": _("Sesi Anda sudah berakhir. Silakan masuk lagi."),
    "second_factor": _(
        "Akun Anda sekarang wajib memakai verifikasi dua langkah. Silakan masuk lagi."
    ),
}


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            self._check(request, session)
        return self.get_response(request)

    def _check(self, request, session) -> None:
        if not request.user.is_authenticated:
            # Disabled or deleted since signing in (the auth backend no longer returns the
            # user): the session ends here, not only the user's access through it.
            logger.info("session ended: account %s is disabled or gone", session[SESSION_KEY])
            session.flush()
            request.user = AnonymousUser()
            return
        now = now_stamp()
        reason = session_end_reason(session, now=now)
        if reason is None and session.get(SECOND_FACTOR) is False:
            if must_use_second_factor(user=request.user):
                reason = "second_factor"
        if reason is not None:
            logger.info("session of %s ended: %s", request.user.get_username(), reason)
            logout(request)
            messages.info(request, ENDED[reason])
            return
        if now - session[SEEN_AT] >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
