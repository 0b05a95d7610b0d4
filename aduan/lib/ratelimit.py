"""Rate limits per client address, counted in the database so that every gunicorn process
(and every server behind one database) sees the same count.

A rate is written "30/10m": 30 hits per 10 minutes ("s", "m", "h", "d"; "30/m" is one
minute); "off" (or "0") turns a limit off. The count is kept per fixed window: one row
per (scope, address, window) in public.RateCounter, raised by one upsert, so a hit costs
one query, and the first hit of a window one more to delete the windows that are over.
Fixed windows let a client spend up to twice the rate across a window's edge; that is
the price of one query per hit, and still a limit.

    if not rate_allowed(request, scope="track", rate=settings.TRACK_RATE):
        return too_many(request, settings.TRACK_RATE)

The client address is REMOTE_ADDR, or, behind reverse proxies (settings.TRUSTED_PROXIES,
ADUAN_TRUSTED_PROXIES, the same setting as the officials' sign-in), the entry of
X-Forwarded-For the nearest trusted proxy wrote: without it every citizen behind the
proxy would share one limit.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass

logger = logging.getLogger("aduan.ratelimit")

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*")
OFF = ("", "0", "off", "none")


@dataclass(frozen=True)
class Rate:
    hits: int  # allowed per window
    seconds: int  # the window

    def __str__(self) -> str:
        return f"{self.hits}/{self.seconds}s"


def parse_rate(text: str | None) -> Rate | None:
    """ "30/10m" -> Rate(30, 600); "off" -> None. Raises ValueError with a sentence."""
    text = (text or "").strip().lower()
    if text in OFF:
        return None
    match = RATE.fullmatch(text)
    if not match or int(match.group(1)) < 1 or int(match.group(2) or 1) < 1:
        raise ValueError(
            f"{text!r} is not a rate: write hits/period, e.g. 30/10m (30 per 10 minutes), "
            "100/h, 1000/d, or off"
        )
    hits, count, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    return Rate(hits=hits, seconds=count * UNITS[unit])


def client_address(request) -> str:
    """The client's address: the connection's, or with N trusted proxies in front
    (ADUAN_TRUSTED_PROXIES) the N-th entry of X-Forwarded-For from the right (the one the
    outermost trusted proxy saw; the ones before it the client may forge). IPv6 clients are
    counted by their /64 network, which one subscriber usually holds. Used by the rate
    limits and the officials' sign-in pause alike."""
    import ipaddress

    from django.conf import settings

    address = request.META.get("REMOTE_ADDR") or ""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if chain:
            address = chain[-min(proxies, len(chain))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def rate_hit(*, scope: str, key: str, rate: Rate, now: dt.datetime | None = None) -> int:
    """Count one hit of `key` in `scope` in the current window; the hits so far in it."""
    from django.db import connection
    from django.utils import timezone

    from aduan.public.models import RateCounter

    now = now or timezone.now()
    window = int(now.timestamp()) // rate.seconds
    ends = dt.datetime.fromtimestamp((window + 1) * rate.seconds, tz=dt.UTC)
    bucket = f"{scope}:{rate.seconds}:{window}:{key}"[:200]
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    # One statement on both SQLite (3.35+) and PostgreSQL: insert the window's row or
    # raise its count, and read the count back; concurrent hits cannot lose a count.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bucket, hits, expires_at) VALUES (%s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (bucket) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [bucket, ends],
        )
        hits = cursor.fetchone()[0]
    if hits == 1:  # a new window: forget the windows that are over
        RateCounter.objects.filter(expires_at__lt=now)._raw_delete(connection.alias)
    return hits


def rate_allowed(request, *, scope: str, rate: Rate | None, now: dt.datetime | None = None) -> bool:
    """Count this request against `rate` for its client address; False (and a warning in
    the log) once the rate is spent. Always True when the limit is off."""
    if rate is None:
        return True
    address = client_address(request)
    hits = rate_hit(scope=scope, key=address, rate=rate, now=now)
    if hits <= rate.hits:
        return True
    if hits == rate.hits + 1 or hits % 100 == 0:  # not one line per refused hit
        logger.warning(
            "rate limit %s (%s) reached by %s: %s hits, %s %s",
            scope,
            rate,
            address,
            hits,
            request.method,
            request.path[:100],
        )
    return False


def retry_after(rate: Rate, now: dt.datetime | None = None) -> int:
    """Seconds until the current window ends."""
    from django.utils import timezone

    now = now or timezone.now()
    return rate.seconds - int(now.timestamp()) % rate.seconds


def too_many(request, rate: Rate):
    """The plain page a person gets: 429, saying to wait, and for how long."""
    from django.shortcuts import render

    wait = retry_after(rate)
    response = render(request, "429.html", {"minutes": max(1, (wait + 59) // 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response
