from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from aduan.accounts.sessions import session_stamp


@receiver(user_logged_in, dispatch_uid="aduan.accounts.session_stamp")
def _stamp_session(sender, request, user, **kwargs):
    session = getattr(request, "session", None)
    if session is not None:
        session_stamp(session)
