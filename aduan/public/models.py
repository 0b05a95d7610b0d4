from django.db import models


def pending_path(instance: "PendingUpload", filename: str) -> str:
    return f"pending/{instance.created_at:%Y/%m/%d}/{instance.token}"


class PendingUpload(models.Model):
    """A file a citizen attached to the form before the complaint exists.

    Kept while the form comes back with errors or the citizen checks their answers, so no
    attachment has to be chosen twice; moved to an Attachment on submission. Only the
    browser session that uploaded it may use it.
    """

    token = models.CharField(max_length=64, unique=True)
    session_key = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=pending_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class RateCounter(models.Model):
    """Hits of one client address on one rate-limited action in one time window
    (aduan.lib.ratelimit): shared by every server process through the database."""

    bucket = models.CharField(max_length=200, unique=True)  # scope:window:address
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.bucket}: {self.hits}"
