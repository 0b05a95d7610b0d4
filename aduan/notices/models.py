"""In-app notices to officials: reminders, overdue steps, withdrawn complaints.

Written by the SLA sweep (aduan.sla.sweep) in the transaction that claims the step, read on
the desk (the bell and /meja/pemberitahuan/). Email, WhatsApp and SMS come with the
notifications work (aduan/notify); these stay as the desk's own record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aduan.complaints.models import Complaint, ComplaintStep


class Notice(models.Model):
    class Kind(models.TextChoices):
        REMIND = "remind", _("Pengingat")
        OVERDUE = "overdue", _("Lewat waktu baku")
        WITHDRAWN = "withdrawn", _("Pengaduan ditarik")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(
        ComplaintStep, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The sentence as the sweep wrote it, in the office's language (LANGUAGE_CODE).
    text = models.TextField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The backstop of "once per step instance": the sweep's claim is the guard.
            models.UniqueConstraint(
                fields=["recipient", "step", "kind"], name="notice_once_per_step_and_kind"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notice_unread_by_recipient",
            ),
            models.Index(fields=["recipient", "created_at"], name="notice_by_recipient"),
        ]
        verbose_name = "pemberitahuan"
        verbose_name_plural = "pemberitahuan"

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.complaint_id}"
