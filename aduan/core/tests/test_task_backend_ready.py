"""aduan.core.health.task_backend_ready: can background tasks be enqueued now? (/readyz)"""

import socket

from aduan.core.health import task_backend_ready
from aduan.core.tests.redis_support import redis_or_skip


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_backend(settings, url: str) -> None:
    settings.TASK_BACKEND = "redis"
    settings.RQ_QUEUES = {"default": {"URL": url}}


def test_the_database_backend_is_ready_without_redis(settings):
    settings.TASK_BACKEND = "database"
    settings.RQ_QUEUES = {"default": {"URL": f"redis://127.0.0.1:{closed_port()}/0"}}
    assert task_backend_ready() == (True, "task queue: database")


def test_the_redis_backend_is_ready_when_redis_answers(settings):
    redis_or_skip().close()
    redis_backend(settings, settings.REDIS_URL)
    assert task_backend_ready() == (True, "task queue: redis")


def test_the_redis_backend_is_not_ready_when_redis_does_not_answer(settings):
    port = closed_port()
    redis_backend(settings, f"redis://aduan:s3cret-pass@127.0.0.1:{port}/2")
    ready, why = task_backend_ready()
    assert ready is False
    assert why.startswith(f"task queue: Redis at redis://aduan:***@127.0.0.1:{port}/2 does not")
    assert "s3cret-pass" not in why


def test_every_queue_address_is_checked(settings):
    redis_or_skip().close()
    settings.TASK_BACKEND = "redis"
    settings.RQ_QUEUES = {
        "default": {"URL": settings.REDIS_URL},
        "slow": {"URL": f"redis://[::1]:{closed_port()}/0"},
    }
    ready, why = task_backend_ready()
    assert ready is False
    assert "Redis at redis://[::1]:" in why
