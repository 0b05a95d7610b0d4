"""Small presentation helpers for the desk's templates."""

from django import template
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
