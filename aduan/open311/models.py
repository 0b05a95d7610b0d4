"""Open311 API keys, and what a request received through Open311 adds to its complaint."""

from django.db import models
from django.db.models import Q

from aduan.complaints.models import Complaint


class Open311Key(models.Model):
    """A client allowed to POST service requests. Only the SHA-256 of the key is kept;
    the key itself is shown once, when it is created (admin or `manage.py open311_key`)."""

    name = models.CharField("nama", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    # The key's first characters, to recognise it in lists without keeping it.
    prefix = models.CharField("awalan", max_length=8)
    created_at = models.DateTimeField("dibuat")
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)

    class Meta:
        ordering = ["name", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(revoked_at__isnull=True),
                name="open311key_unique_active_name",
            ),
        ]
        verbose_name = "kunci API Open311"
        verbose_name_plural = "kunci API Open311"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Open311Request(models.Model):
    """A complaint received through Open311: the key that sent it, and whether its
    complainant chose to make the description public (attribute[public]=true)."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.CASCADE, related_name="open311_request"
    )
    key = models.ForeignKey(Open311Key, on_delete=models.PROTECT, related_name="requests")
    description_public = models.BooleanField("uraian publik", default=False)
    media_url = models.URLField(max_length=2000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "permintaan Open311"
        verbose_name_plural = "permintaan Open311"

    def __str__(self) -> str:
        return str(self.complaint_id)
