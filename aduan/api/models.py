"""API tokens: an official's key to the JSON API, kept only as a SHA-256 hash."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    """One bearer token of one official. The secret is shown once, when it is created;
    only its SHA-256 (hex) is kept, with its first characters to tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField("nama", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("awalan", max_length=8)
    created_at = models.DateTimeField("dibuat")
    # Written at most once a minute (aduan.api.tokens.token_user): reads stay cheap.
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=Q(revoked_at__isnull=True),
                name="apitoken_active_by_user",
            ),
        ]
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
