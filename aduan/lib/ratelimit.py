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


def count_statement(table: str, row: str) -> str:
    """The upsert that counts one hit in `table` (RateCounter's, quoted): `row` gives its
    (bucket, 1, expires_at), as VALUES or a SELECT. Hit.upsert and the SQLite trigger that
    counts a filing with its INSERT (aduan.complaints.intake) both count with it."""
    return (
        f"INSERT INTO {table} (bucket, hits, expires_at) {row} "  # noqa: S608
        f"ON CONFLICT (bucket) DO UPDATE SET hits = {table}.hits + 1"
    )


@dataclass(frozen=True)
class Hit:
    """One request to count against a rate: the row of its scope, client and window."""

    scope: str
    key: str  # the client address
    rate: Rate
    now: dt.datetime
    where: str = ""  # "POST /path", for the log line when the rate is spent

    @property
    def window(self) -> int:
        return int(self.now.timestamp()) // self.rate.seconds

    @property
    def bucket(self) -> str:
        return f"{self.scope}:{self.rate.seconds}:{self.window}:{self.key}"[:200]

    @property
    def window_ends(self) -> dt.datetime:
        return dt.datetime.fromtimestamp((self.window + 1) * self.rate.seconds, tz=dt.UTC)

    def upsert(self, when: tuple[str, list] | None = None) -> tuple[str, list]:
        """The statement that counts it and reads back the window's hits: one statement
        on SQLite (3.35+) and PostgreSQL, so concurrent hits cannot lose a count (on
        PostgreSQL in an UNLOGGED table: it commits without waiting for the disk). `when`:
        an SQL condition and its parameters; while it does not hold, nothing is counted
        and the statement returns no row."""
        from django.db import DEFAULT_DB_ALIAS, connections

        conn = connections[DEFAULT_DB_ALIAS]
        params = [self.bucket, self.window_ends]
        if when is not None:
            params += when[1]
        written = (conn.vendor, when and when[0])
        sql = _UPSERTS.get(written)
        if sql is None:  # written once per database and condition (a filing's time counts)
            sql = _upsert_sql(conn, when and when[0])
            if len(_UPSERTS) >= 64:  # the conditions are few (a remembered key's shape)
                _UPSERTS.clear()
            _UPSERTS[written] = sql
        return sql, params

    def hits(self, when: tuple[str, list] | None = None, *, cursor=None) -> int | None:
        """Count it; the window's hits so far (None: `when` did not hold, not counted).
        `cursor`: the caller's, to run the statement on (one cursor for a filing's two)."""
        from django.db import connection

        sql, params = self.upsert(when)
        if cursor is not None:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        return None if row is None else row[0]

    def counted(self) -> bool:
        """Count it; whether it is within the rate. Every public request counts, so on
        SQLite the count waits for the write lock in short turns (aduan.lib.turns)."""
        from aduan.lib.turns import quick_turns

        with quick_turns() as turn:
            return self.settled(turn(self.hits), turn=turn)

    def settled(self, hits: int, *, turn=None) -> bool:
        """After the count (`hits` read back): whether it is within the rate. The first hit
        of a window forgets the windows that are over (through `turn`, when the caller
        writes in aduan.lib.turns.quick_turns); a spent rate is logged (not once per
        refused hit)."""
        if hits == 1:
            from django.db import connection

            from aduan.public.models import RateCounter

            over = RateCounter.objects.filter(expires_at__lt=self.now)
            if turn is None:
                over._raw_delete(connection.alias)
            else:
                turn(lambda: over._raw_delete(connection.alias))
        if hits <= self.rate.hits:
            return True
        if hits == self.rate.hits + 1 or hits % 100 == 0:
            logger.warning(
                "rate limit %s (%s) reached by %s: %s hits, %s",
                self.scope,
                self.rate,
                self.key,
                hits,
                self.where,
            )
        return False


_UPSERTS: dict[tuple[str, str | None], str] = {}


def _upsert_sql(conn, condition: str | None) -> str:
    from aduan.public.models import RateCounter

    table = conn.ops.quote_name(RateCounter._meta.db_table)
    if condition is None:
        row = "VALUES (%s, 1, %s)"
    else:
        casts = ("::varchar", "::timestamptz") if conn.vendor == "postgresql" else ("", "")
        row = f"SELECT %s{casts[0]}, 1, %s{casts[1]} WHERE {condition}"
    return f"{count_statement(table, row)} RETURNING hits"


def rate_hit(*, scope: str, key: str, rate: Rate, now: dt.datetime | None = None) -> int:
    """Count one hit of `key` in `scope` in the current window; the hits so far in it."""
    from django.utils import timezone

    hit = Hit(scope=scope, key=key, rate=rate, now=now or timezone.now())
    hits = hit.hits()
    hit.settled(hits)
    return hits


def client_hit(
    request, *, scope: str, rate: Rate | None, now: dt.datetime | None = None
) -> Hit | None:
    """This request's hit against `rate` for its client address, not yet counted; None
    when the limit is off."""
    from django.utils import timezone

    if rate is None:
        return None
    return Hit(
        scope=scope,
        key=client_address(request),
        rate=rate,
        now=now or timezone.now(),
        where=f"{request.method} {request.path[:100]}",
    )


def rate_allowed(request, *, scope: str, rate: Rate | None, now: dt.datetime | None = None) -> bool:
    """Count this request against `rate` for its client address; False (and a warning in
    the log) once the rate is spent. Always True when the limit is off."""
    hit = client_hit(request, scope=scope, rate=rate, now=now)
    return hit is None or hit.counted()


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
