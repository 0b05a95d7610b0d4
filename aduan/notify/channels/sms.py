"""SMS through a generic HTTP gateway, configured by a URL and a parameter template.

ADUAN_SMS_URL is the gateway's address; ADUAN_SMS_PARAMS the form fields it wants, with
{to}, {text} and {key} (the idempotency key) filled in, e.g.
"api_key=SECRET&to={to}&message={text}". When the gateway drops a repeated request that
carries the same key (ADUAN_SMS_IDEMPOTENCY_HEADER names the header, or {key} in the
parameters), a message is resent after a crash without arriving twice.
"""

import urllib.parse

from django.conf import settings

from aduan.lib.phone import phone_normalise
from aduan.notify.channels.base import Channel, Outgoing
from aduan.notify.channels.http import http_send


def sms_fields(template: str, *, to: str, text: str, key: str) -> list[tuple[str, str]]:
    """The gateway's form fields: the template's pairs, with the placeholders filled in
    after splitting (so a text holding & or = stays one value)."""
    values = {"to": to, "text": text, "key": key}
    fields = []
    for name, value in urllib.parse.parse_qsl(template, keep_blank_values=True):
        for placeholder, real in values.items():
            value = value.replace("{" + placeholder + "}", real)
        fields.append((name, value))
    return fields


class SmsChannel(Channel):
    name = "sms"

    @property
    def idempotent(self) -> bool:
        return bool(settings.SMS_IDEMPOTENCY_HEADER) or "{key}" in settings.SMS_PARAMS

    def send(self, message: Outgoing) -> str:
        text = message.body if len(message.body) <= 480 else message.body[:477] + "..."
        fields = sms_fields(
            settings.SMS_PARAMS,
            to=phone_normalise(message.to),
            text=text,
            key=message.idempotency_key,
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if settings.SMS_IDEMPOTENCY_HEADER:
            headers[settings.SMS_IDEMPOTENCY_HEADER] = message.idempotency_key
        _status, content = http_send(
            settings.SMS_URL, data=urllib.parse.urlencode(fields).encode(), headers=headers
        )
        return content[:200].decode("utf-8", "replace").strip()
