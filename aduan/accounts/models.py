"""Officials and the SOP roles they hold.

An official may hold more than one role (a Kasi who is also acting Kabid, say); the
engine checks the role of each step against these grants and keeps one person from
deciding at two levels of the same complaint.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    nip = models.CharField("NIP", max_length=18, blank=True)
    position = models.CharField("jabatan", max_length=200, blank=True)

    class Meta:
        verbose_name = "pejabat"
        verbose_name_plural = "pejabat"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Unit(models.Model):
    """A unit of the office (bidang, seksi) in which officials hold their roles."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("nama", max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "unit kerja"
        verbose_name_plural = "unit kerja"

    def __str__(self) -> str:
        return self.name


class RoleGrant(models.Model):
    """One role held by one official: an SOP role id (staff, kasi, kabid, kadis) or
    "auditor", who may read the audit log."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique_user_role")
        ]
        verbose_name = "peran"
        verbose_name_plural = "peran"

    def __str__(self) -> str:
        return f"{self.user} — {self.role}"
