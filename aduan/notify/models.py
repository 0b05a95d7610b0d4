"""The outbox: every message to a citizen or an official, written in the transaction of the
event that causes it and delivered by the worker (aduan.notify.delivery).

One row is one message to one address on one channel for one event. `event_key` is unique:
writing the same event twice (a retried request, two sweeps) makes one row, and the worker's
claim (a conditional UPDATE) makes one delivery of it.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.complaints.models import Complaint


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")
        WHATSAPP = "whatsapp", "WhatsApp"
        SMS = "sms", "SMS"
        FILE = "file", _("Berkas (mode contoh)")

    event_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    to = models.CharField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The message as rendered when the event happened (its language and wording then).
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    # An answer letter sent with the message (as a PDF attachment, by email).
    letter = models.ForeignKey(
        "papers.AnswerLetter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Values for a provider's pre-approved template (WhatsApp), in the template's order.
    params = models.JSONField(default=list, blank=True)
    # Sent to providers that accept one, so that a resend after a crash is not a second message.
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # The worker that claimed the row, and until when its claim holds.
    claim = models.CharField(max_length=32, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The worker reads only rows waiting to be sent, or claimed by a worker that vanished.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="delivery_due",
            ),
            models.Index(
                fields=["claimed_until"],
                condition=Q(status="sending"),
                name="delivery_claimed",
            ),
        ]
        verbose_name = "kiriman pesan"
        verbose_name_plural = "kiriman pesan"

    def __str__(self) -> str:
        return f"{self.kind} → {self.channel} ({self.status})"


class MessageText(models.Model):
    """An admin's own wording of one kind of message in one language, replacing Aduan's
    default (aduan.notify.texts.DEFAULTS). Values are written {name}."""

    kind = models.CharField("jenis pesan", max_length=32)
    language = models.CharField("bahasa", max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField("perihal", max_length=300)
    body = models.TextField("isi")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="message_text_unique"),
        ]
        verbose_name = "teks pesan"
        verbose_name_plural = "teks pesan"

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"
