"""Channels, one module each, one interface (channels.base.Channel)."""

from functools import cache

from django.conf import settings

from aduan.notify.channels.base import Channel


@cache
def _channels() -> dict[str, Channel]:
    from aduan.notify.channels.email import EmailChannel
    from aduan.notify.channels.file import FileChannel
    from aduan.notify.channels.sms import SmsChannel
    from aduan.notify.channels.whatsapp import WhatsAppChannel

    return {
        "email": EmailChannel(),
        "whatsapp": WhatsAppChannel(),
        "sms": SmsChannel(),
        "file": FileChannel(),
    }


def channel_get(name: str) -> Channel:
    return _channels()[name]


def channel_for_email() -> str:
    return "email" if settings.EMAIL_HOST else "file"


def channel_for_phone() -> str:
    """WhatsApp when the office configured it, else SMS when configured, else the file."""
    if settings.WHATSAPP_TOKEN:
        return "whatsapp"
    if settings.SMS_URL:
        return "sms"
    return "file"


def channels_reset() -> None:
    """Forget built channels (tests change the settings they read)."""
    _channels.cache_clear()
