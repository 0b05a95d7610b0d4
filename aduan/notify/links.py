"""The link in a citizen's message: opens their tracking page without typing the code and
the secret, like the link shown after filing, but signed and valid for a limited time.

Only the tracking code is signed (with SECRET_KEY and its own salt), so the link carries
nothing personal; after NOTIFY_LINK_DAYS it is refused with a plain message and the
tracking form.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "aduan.notify.track-link"


def citizen_link(complaint) -> str:
    token = signing.dumps(complaint.tracking_code, salt=SALT, compress=False)
    return settings.PUBLIC_URL + reverse("track_token", args=[token])


def tracking_code_from_link(token: str) -> str | None:
    """The tracking code a link was made for, or None when it is wrong or expired."""
    try:
        return signing.loads(token, salt=SALT, max_age=settings.NOTIFY_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
