"""Moments as people in Indonesia read them: "Senin, 30 November 2026 pukul 10.20 WIB".

The office's time zone (TIME_ZONE) is named as the country names it (WIB, WITA, WIT);
English pages say "Monday 30 November 2026, 10:20 WIB".
"""

import datetime as dt

from django import template
from django.conf import settings
from django.template.defaultfilters import date
from django.utils.timezone import localtime
from django.utils.translation import get_language

register = template.Library()

# Indonesia's three time zones, by the IANA names of their cities.
ZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_name(moment: dt.datetime) -> str:
    return ZONES.get(settings.TIME_ZONE) or moment.tzname() or ""


def _moment(value, *, weekday: bool) -> str:
    if not isinstance(value, dt.datetime):
        return ""
    moment = localtime(value)
    zone = zone_name(moment)
    if (get_language() or "").startswith("en"):
        day = date(moment, "l j F Y" if weekday else "j F Y")
        return f"{day}, {date(moment, 'H:i')} {zone}".strip()
    day = date(moment, "l, j F Y" if weekday else "j F Y")
    return f"{day} pukul {date(moment, 'H.i')} {zone}".strip()


@register.filter
def waktu(value) -> str:
    """A moment with its weekday, date, time and zone, in the office's time zone."""
    return _moment(value, weekday=True)


@register.filter
def jam(value) -> str:
    """A moment's date and time, without the weekday: "30 November 2026 pukul 10.20 WIB"."""
    return _moment(value, weekday=False)
