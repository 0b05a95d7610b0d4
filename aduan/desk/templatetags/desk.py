"""Small presentation helpers for the desk's templates."""

from django import template
from django.template.defaultfilters import date
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration(minutes: int) -> str:
    """Minutes as an official reads them: "35 mnt", "110 mnt", "2 jam 5 mnt", "3 hari 4 jam".

    Under two hours in minutes, as the SOP states its standard times.
    """
    minutes = int(minutes or 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s hari %(h)s jam") % {"d": days, "h": hours}
    if minutes >= 120:
        return _("%(h)s jam %(m)s mnt") % {"h": hours, "m": mins}
    return _("%(m)s mnt") % {"m": minutes}


@register.filter
def work_duration(minutes: int) -> str:
    """Working minutes as hours and minutes, never days: a working day is 7.5 hours, not
    24, so "1 hari" would mislead. "35 mnt", "110 mnt", "23 jam 10 mnt"."""
    minutes = int(minutes or 0)
    if minutes >= 120:
        hours, mins = divmod(minutes, 60)
        return _("%(h)s jam %(m)s mnt") % {"h": hours, "m": mins}
    return _("%(m)s mnt") % {"m": minutes}


@register.inclusion_tag("desk/_menu.html", takes_context=True)
def desk_menu(context, current: str = ""):
    """The desk's own menu; each entry shown only to those the selectors let in."""
    from aduan.accounts.selectors import (
        can_read_audit_log,
        can_register_complaints,
        may_see_dashboard,
    )

    user = context["request"].user
    return {
        "current": current,
        "can_see_dashboard": may_see_dashboard(user=user),
        "can_register": can_register_complaints(user=user),
        "can_audit": can_read_audit_log(user=user),
    }


def _when(value, fmt: str) -> str:
    """A moment as the `date` filter shows it in a template: in the current time zone."""
    return date(localtime(value), fmt)


@register.simple_tag
def step_clock(clock, open=True):
    """A step's clock: paused, overdue (by how much) or time left, its due moment, and the
    working time used against the standard. Written in Python, not an included template:
    the inbox shows it on every row, and the two includes per row took about half of the
    inbox's rendering (cProfile)."""
    parts = []
    if clock.paused:
        parts.append(
            format_html('<div class="paused">{}</div>', _("Jeda: menunggu jawaban pelapor"))
        )
    if clock.overdue:
        parts.append(
            format_html('<div><strong class="late">{}</strong></div>', _("Lewat waktu baku"))
        )
        if clock.late:
            parts.append(
                format_html(
                    "<div>{}</div>",
                    _("lewat %(late)s kerja") % {"late": work_duration(clock.late)},
                )
            )
    elif open:
        parts.append(
            format_html(
                "<div>{}</div>", _("sisa %(left)s kerja") % {"left": work_duration(clock.left)}
            )
        )
    if clock.due_at:
        parts.append(
            format_html(
                '<div class="muted">{}</div>',
                _("tenggat %(due)s") % {"due": _when(clock.due_at, "D j M Y H:i")},
            )
        )
    parts.append(
        format_html(
            '<div class="muted">{}</div>',
            _("%(spent)s kerja / baku %(standard)s")
            % {"spent": work_duration(clock.used), "standard": work_duration(clock.standard)},
        )
    )
    return mark_safe("\n".join(parts))


@register.simple_tag
def deadline_label(key: str) -> str:
    """The name of one of the legal deadlines (Perpres 76/2013) the complaint carries."""
    if key == "verify":
        return _("Verifikasi dan penerimaan")
    if key == "follow_up":
        return _("Tindak lanjut")
    return _("Penyelesaian")
