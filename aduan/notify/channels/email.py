"""Email through Django's SMTP backend (EMAIL_HOST, EMAIL_PORT, ... in settings)."""

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from aduan.notify.channels.base import Channel, Outgoing, PermanentFailure, TemporaryFailure


class EmailChannel(Channel):
    name = "email"
    # SMTP has no idempotency key. The Message-ID is fixed per message, so a mail client
    # shows a resend as the same message, but a second copy can arrive: after a crash
    # mid-send the message is marked failed instead (docs/notifications.md).
    idempotent = False

    def send(self, message: Outgoing) -> str:
        address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        domain = address.rpartition("@")[2] or "aduan.local"
        message_id = f"<{message.idempotency_key}@{domain}>"
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"Message-ID": message_id},
            connection=get_connection(timeout=settings.NOTIFY_TIMEOUT),
        )
        for name, content, content_type in message.attachments:
            email.attach(name, content, content_type)
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentFailure(f"alamat ditolak: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:
            if 500 <= exc.smtp_code < 600:
                raise PermanentFailure(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
            raise TemporaryFailure(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"server surel tidak dapat dihubungi: {exc}") from exc
        return message_id
