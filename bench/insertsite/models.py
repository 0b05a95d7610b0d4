from django.db import models


class Ping(models.Model):
    """One small row per request: the peer kit's framework-limit table, the same columns."""

    created = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.note
