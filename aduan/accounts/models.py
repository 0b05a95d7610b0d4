"""Officials and the SOP roles they hold.

An official may hold more than one role (a Kasi who is also acting Kabid, say); the
engine checks the role of each step against these grants and keeps one person from
deciding at two levels of the same complaint.

A grant is definitive (the person's own post) or acting for a period: Plt. (pelaksana
tugas) while the post is vacant, Plh. (pelaksana harian) while its holder is away, e.g. on
leave. A grant counts only on the days from `starts_on` to `ends_on`, both included.
"""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# How an acting official's title is written, before the role's name: "Plt. Kepala Dinas".
# Official titles, as printed on letters: the same in every interface language.
ACTING_PREFIX = {"plt": "Plt.", "plh": "Plh."}


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
    "auditor", who may read the audit log; definitively or acting (Plt./Plh.) for a period.

    Who holds what today is answered by accounts.selectors.official_roles, nowhere else.
    """

    class Kind(models.TextChoices):
        DEFINITIVE = "definitive", _("Definitif")
        PLT = "plt", _("Plt. (pelaksana tugas, jabatan kosong)")
        PLH = "plh", _("Plh. (pelaksana harian, pejabat berhalangan sementara)")

    ACTING = (Kind.PLT, Kind.PLH)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    kind = models.CharField("jenis", max_length=16, choices=Kind.choices, default=Kind.DEFINITIVE)
    starts_on = models.DateField("mulai", null=True, blank=True)
    ends_on = models.DateField("sampai dengan", null=True, blank=True)
    note = models.CharField(
        "keterangan", max_length=200, blank=True, help_text=_("Misalnya nomor surat perintah.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One definitive grant of a role per person; acting grants may recur (each leave).
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(kind="definitive"),
                name="rolegrant_unique_definitive_user_role",
                violation_error_message=_("Pejabat ini sudah memegang peran ini secara definitif."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["definitive", "plt", "plh"]),
                name="rolegrant_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(kind="definitive") | Q(starts_on__isnull=False, ends_on__isnull=False),
                name="rolegrant_acting_has_period",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="rolegrant_ends_after_start",
            ),
        ]
        verbose_name = "peran"
        verbose_name_plural = "peran"

    def __str__(self) -> str:
        if self.kind in ACTING_PREFIX:
            return f"{self.user} — {ACTING_PREFIX[self.kind]} {self.role}"
        return f"{self.user} — {self.role}"

    @staticmethod
    def in_force_q(day) -> Q:
        """Grants that count on `day`: begun (or open at the start) and not ended (or open
        at the end); both dates are included."""
        return (Q(starts_on__isnull=True) | Q(starts_on__lte=day)) & (
            Q(ends_on__isnull=True) | Q(ends_on__gte=day)
        )

    def is_in_force(self, day) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or self.ends_on >= day
        )

    def clean(self) -> None:
        """The period, with each message beside its field (the constraints are the backstop)."""
        errors = {}
        if self.kind in self.ACTING:
            if self.starts_on is None:
                errors["starts_on"] = _("Isi tanggal mulai penunjukan Plt./Plh.")
            if self.ends_on is None:
                errors["ends_on"] = _("Isi tanggal akhir penunjukan Plt./Plh.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Tanggal akhir tidak boleh sebelum tanggal mulai.")
        if errors:
            raise ValidationError(errors)


# Officials' sign-in (aduan.accounts.lockout, aduan.accounts.twofactor): failed attempts and
# the pauses they cause, and the second factor (TOTP) with its recovery codes.


class LoginFailure(models.Model):
    """One failed sign-in (wrong password or wrong code) for a username from an address.

    Rows older than the lockout period are deleted as new ones are written."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "address", "at"], name="loginfailure_user_addr"),
            models.Index(fields=["address", "at"], name="loginfailure_addr"),
        ]
        verbose_name = "gagal masuk"
        verbose_name_plural = "gagal masuk"

    def __str__(self) -> str:
        return f"{self.username} @ {self.address}"


class LoginLockout(models.Model):
    """Sign-in paused until `until` for a username from an address, or (username "") for
    every username from the address (too many failures across usernames)."""

    username = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=64)
    until = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address", "until"], name="loginlockout_addr_until")]
        ordering = ["-until"]
        verbose_name = "jeda masuk"
        verbose_name_plural = "jeda masuk"

    def __str__(self) -> str:
        return f"{self.username or '*'} @ {self.address}"


class TotpDevice(models.Model):
    """An official's authenticator (TOTP, RFC 6238). The secret is stored encrypted
    (aduan.accounts.sealing); `last_step` is the time step of the last code accepted, so a
    code is never accepted twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret_sealed = models.TextField()
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "autentikator (TOTP)"
        verbose_name_plural = "autentikator (TOTP)"

    def __str__(self) -> str:
        return str(self.user)


class RecoveryCode(models.Model):
    """A one-time recovery code, stored as a keyed hash; shown to the official once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recoverycode_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'terpakai' if self.used_at else 'belum dipakai'})"
