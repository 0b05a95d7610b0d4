from django.conf import settings
from django.db import models

APPEND_ONLY = "The audit log is append-only: audit events cannot be changed or deleted."


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a stored audit event."""

    def __init__(self, message: str = APPEND_ONLY):
        super().__init__(message)


class AuditEventQuerySet(models.QuerySet):
    """Refuses bulk changes; the database refuses them too (migration 0002's triggers)."""

    def update(self, **kwargs):
        raise AppendOnlyError()

    def delete(self):
        raise AppendOnlyError()

    update.alters_data = True
    delete.alters_data = True
    delete.queryset_only = True


class AuditEvent(models.Model):
    """One thing that happened, append-only and hash-chained.

    `hash` covers this event's fields and the previous event's hash, so changing or
    deleting any stored event breaks the chain from there on (see audit.services.audit_verify).
    Append-only: saving an existing event, deleting one and QuerySet.update()/delete() raise
    AppendOnlyError; the database refuses UPDATE and DELETE as well (docs/audit.md).
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    complaint_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        # Django's internal lookups (refresh, related access) use the guarded manager too.
        base_manager_name = "objects"
        verbose_name = "peristiwa audit"
        verbose_name_plural = "jejak audit"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError()


class AuditHead(models.Model):
    """A single row locked while appending, so that concurrent appends form one chain."""

    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash
