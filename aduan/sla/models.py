"""What the office configures about its working time: hours per weekday and its own days off.

National holidays and cuti bersama come from the `holidays` package (aduan.sla.calendar);
these tables hold only the office's decisions. Edit them in the admin, which records every
change in the audit log (aduan.sla.services).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from aduan.sla.calendar import DayHours, national_holidays


class OfficeHours(models.Model):
    """One weekday's office hours and break; seven rows, made by the data migration."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    weekday = models.PositiveSmallIntegerField("hari", choices=Weekday.choices, unique=True)
    is_open = models.BooleanField("buka", default=True)
    opens_at = models.TimeField("jam buka", null=True, blank=True)
    closes_at = models.TimeField("jam tutup", null=True, blank=True)
    break_start = models.TimeField(
        "istirahat mulai", null=True, blank=True, help_text="Kosongkan bila tanpa istirahat."
    )
    break_end = models.TimeField("istirahat selesai", null=True, blank=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        ordering = ["weekday"]
        verbose_name = "jam kerja kantor"
        verbose_name_plural = "jam kerja kantor"
        constraints = [
            models.CheckConstraint(
                name="sla_hours_open_before_close",
                condition=Q(is_open=False)
                | Q(
                    opens_at__isnull=False,
                    closes_at__isnull=False,
                    opens_at__lt=F("closes_at"),
                ),
                violation_error_message="Jam buka harus sebelum jam tutup.",
            ),
            models.CheckConstraint(
                name="sla_hours_break_inside",
                condition=Q(break_start__isnull=True, break_end__isnull=True)
                | Q(
                    break_start__gt=F("opens_at"),
                    break_start__lt=F("break_end"),
                    break_end__lt=F("closes_at"),
                ),
                violation_error_message="Istirahat harus berada di dalam jam kerja.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_weekday_display())

    def day_hours(self) -> DayHours | None:
        """These hours as the calendar uses them; None for a closed day."""
        if not self.is_open:
            return None
        return DayHours(self.opens_at, self.closes_at, self.break_start, self.break_end)

    def clean(self):
        times = ("opens_at", "closes_at", "break_start", "break_end")
        if not self.is_open:
            # A closed day keeps no times, so nothing on the page suggests otherwise.
            for name in times:
                setattr(self, name, None)
            return
        errors = {}
        for name in times:
            value = getattr(self, name)
            if value is not None and (value.second or value.microsecond):
                errors[name] = _("Isi jam dan menit saja, tanpa detik.")
        for name in ("opens_at", "closes_at"):
            if getattr(self, name) is None:
                errors[name] = _("Wajib diisi untuk hari kantor buka.")
        if (self.break_start is None) != (self.break_end is None):
            name = "break_end" if self.break_end is None else "break_start"
            errors[name] = _("Isi mulai dan selesai istirahat, atau kosongkan keduanya.")
        if errors:
            raise ValidationError(errors)
        if not self.opens_at < self.closes_at:
            raise ValidationError({"closes_at": _("Jam tutup harus setelah jam buka.")})
        if self.break_start is not None and not (
            self.opens_at < self.break_start < self.break_end < self.closes_at
        ):
            raise ValidationError(
                {"break_start": _("Istirahat harus dimulai dan selesai di dalam jam kerja.")}
            )


class DayOverride(models.Model):
    """The office's own decision about one date.

    CLOSED: the office does not work that day (with the reason), whatever the weekday.
    WORKED: the `holidays` package marks the date as a national holiday or cuti bersama but
    the office works it; the weekday's office hours apply.
    """

    class Kind(models.TextChoices):
        CLOSED = "closed", _("Kantor libur")
        WORKED = "worked", _("Kantor tetap masuk")

    date = models.DateField("tanggal", unique=True)
    kind = models.CharField(
        "jenis",
        max_length=10,
        choices=Kind.choices,
        help_text=(
            "Kantor libur: kantor tutup pada tanggal ini. Kantor tetap masuk: tanggal ini hari "
            "libur nasional atau cuti bersama, tetapi kantor tetap buka dengan jam kerja biasa."
        ),
    )
    reason = models.CharField(
        "alasan", max_length=200, help_text="Misalnya nomor dan perihal surat keputusan."
    )
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "hari libur/masuk kantor"
        verbose_name_plural = "hari libur/masuk kantor"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    @property
    def national_holiday(self) -> str:
        """The package's name for the date (national holiday or cuti bersama), or ""."""
        return national_holidays(self.date.year).get(self.date, "") if self.date else ""

    def clean(self):
        self.reason = (self.reason or "").strip()
        if self.kind == self.Kind.WORKED and self.date and not self.national_holiday:
            raise ValidationError(
                {
                    "date": _(
                        "Tanggal ini bukan hari libur nasional atau cuti bersama, jadi tidak "
                        "ada yang perlu dibatalkan: kantor sudah masuk pada hari kerja biasa."
                    )
                }
            )
