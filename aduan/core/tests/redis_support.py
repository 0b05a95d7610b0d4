"""Redis for the tests that need a real one: reachable, or a failure or a skip saying why.

Redis is needed by the RQ task backend's tests. Where it is unreachable they are skipped, with
the reason, unless ADUAN_REQUIRE_REDIS=1 (CI), where they fail.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings

from aduan.env import env_bool

# The databases a Redis server has by default (`databases 16`).
REDIS_DATABASES = 16
LOCK_SECONDS = 300


def redis_or_skip(url: str | None = None) -> redis.Redis:
    """A client of ADUAN_REDIS_URL's server (or `url`), after it answered a ping."""
    url = url or settings.REDIS_URL
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    try:
        client.ping()
        return client
    except redis.RedisError as exc:
        client.close()
        reason = f"Redis at {url} does not answer ({exc}); start redis-server"
    if env_bool("ADUAN_REQUIRE_REDIS"):
        pytest.fail(reason + " (ADUAN_REQUIRE_REDIS=1)", pytrace=False)
    pytest.skip(reason + " or set ADUAN_REQUIRE_REDIS=1 to make this a failure")


@contextmanager
def redis_database_of_our_own() -> Iterator[str]:
    """The address of a Redis database no other test process is using with workers now.

    A lock key in database 0 claims the number (released at the end, expiring if this process
    dies), so two test runs side by side never share a queue their workers take jobs from.
    """
    base = redis_or_skip()
    owner = str(os.getpid())
    try:
        for number in range(1, REDIS_DATABASES):
            lock = f"aduan-test:redis-db-lock:{number}"
            if base.set(lock, owner, nx=True, ex=LOCK_SECONDS):
                break
        else:
            pytest.fail("Every Redis database is claimed by another test process.")
        try:
            yield redis_url_with_database(settings.REDIS_URL, number)
        finally:
            if base.get(lock) == owner.encode():
                base.delete(lock)
    finally:
        base.close()


def redis_url_with_database(url: str, number: int) -> str:
    """`url` pointing at database `number` (redis-py reads it from the address)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return urlunsplit(
            parts._replace(query=urlencode({**dict(parse_qsl(parts.query)), "db": number}))
        )
    return urlunsplit(parts._replace(path=f"/{number}"))
