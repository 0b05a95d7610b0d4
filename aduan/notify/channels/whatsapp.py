"""WhatsApp through the WhatsApp Business Cloud API, with pre-approved message templates.

Outside a conversation the citizen started, the Cloud API sends only templates approved by
Meta; each kind of message maps to one template (WHATSAPP_TEMPLATES) whose body parameters
are Delivery.params in order.
"""

import json

from django.conf import settings

from aduan.lib.phone import phone_normalise
from aduan.notify.channels.base import Channel, Outgoing, PermanentFailure
from aduan.notify.channels.http import http_send, json_or_empty


class WhatsAppChannel(Channel):
    name = "whatsapp"
    # The Cloud API takes no idempotency key: after a crash mid-send the message is marked
    # failed rather than sent twice (docs/notifications.md).
    idempotent = False

    def send(self, message: Outgoing) -> str:
        template = settings.WHATSAPP_TEMPLATES.get(message.kind)
        if not template:
            raise PermanentFailure(
                f"tidak ada templat WhatsApp untuk pesan {message.kind!r} "
                "(ADUAN_WHATSAPP_TEMPLATES)"
            )
        number = phone_normalise(message.to).lstrip("+")
        payload = {
            "messaging_product": "whatsapp",
            "to": number,
            "type": "template",
            "template": {
                "name": template,
                "language": {"code": settings.WHATSAPP_LANGUAGE},
                "components": [
                    {
                        "type": "body",
                        "parameters": [{"type": "text", "text": str(p)} for p in message.params],
                    }
                ],
            },
        }
        url = (
            f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        )
        _status, content = http_send(
            url,
            data=json.dumps(payload).encode(),
            headers={
                "Authorization": f"Bearer {settings.WHATSAPP_TOKEN}",
                "Content-Type": "application/json",
            },
        )
        messages = json_or_empty(content).get("messages") or [{}]
        return str(messages[0].get("id", ""))
