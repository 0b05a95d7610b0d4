"""Readiness of what Aduan needs beyond its database (for /readyz)."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

# How long a readiness probe waits for Redis before calling it unreachable.
REDIS_TIMEOUT_SECONDS = 2.0


def task_backend_ready() -> tuple[bool, str]:
    """Whether background tasks can be enqueued now, and a line saying why for an operator.

    With the database backend (ADUAN_TASKS=database, the default) the queue is the database,
    which /healthz already checks: always ready. With ADUAN_TASKS=redis, Redis is pinged at
    the address of every configured RQ queue, each with a short timeout; the first one that
    does not answer makes the backend not ready. The address is given without its password.
    """
    if settings.TASK_BACKEND != "redis":
        return True, "task queue: database"
    import redis

    for url in sorted({queue["URL"] for queue in settings.RQ_QUEUES.values()}):
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        except redis.RedisError as exc:
            return False, f"task queue: Redis at {_without_password(url)} does not answer ({exc})"
        finally:
            client.close()
    return True, "task queue: redis"


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + host))
