"""Past one machine (#10): with ADUAN_TASKS=redis, RQ workers share one queue in Redis, and
every task enqueued runs exactly once, on one of them.

Two real workers (`manage.py rqworker default`, as an operator starts them) run against this
test's database and a Redis database of its own; the tasks are enqueued through the
django-tasks API, as the application enqueues its own.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus
from rq import Queue, Worker

from aduan.core.tests.queue_probe import PROBE_TABLE, queue_probe
from aduan.core.tests.redis_support import redis_database_of_our_own

TASKS = 200
DEADLINE_SECONDS = 60  # a bound for a slow, loaded machine, not the time it takes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_share_one_queue_and_run_every_task_exactly_once(tmp_path):
    with redis_database_of_our_own() as redis_url, _probe_table(), _rq_backend(redis_url):
        queue = Queue("default", connection=redis.Redis.from_url(redis_url))
        queue.empty()  # what a killed earlier run may have left in this database
        names = [f"aduan-test-{os.getpid()}-{which}-{uuid.uuid4().hex[:8]}" for which in "ab"]
        workers = [_start_worker(tmp_path, redis_url, name) for name in names]
        try:
            _wait_until(
                lambda: {w.name for w in Worker.all(queue=queue)} >= set(names),
                "both workers to listen on the queue",
                workers,
            )
            results = [queue_probe.enqueue(number=number) for number in range(TASKS)]
            _wait_until(lambda: _rows_recorded() >= TASKS, f"{TASKS} tasks to run", workers)
        finally:
            _stop(workers)
        # The workers have stopped: nothing more can run, so the table is the final count.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, worker FROM {PROBE_TABLE}")
            rows = cursor.fetchall()
        for result in results:
            result.refresh()
        queue.connection.close()

    numbers = Counter(number for number, _worker in rows)
    assert sorted(numbers) == list(range(TASKS)), "every task ran"
    assert [n for n, times in numbers.items() if times > 1] == [], "no task ran twice"
    by_worker = Counter(worker for _number, worker in rows)
    assert set(by_worker) == set(names) and min(by_worker.values()) > 0, by_worker
    assert {result.status for result in results} == {TaskResultStatus.SUCCESSFUL}
    assert {result.return_value for result in results} == set(range(TASKS))


@contextmanager
def _probe_table() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {PROBE_TABLE} (number integer NOT NULL, worker varchar(200) NOT NULL)"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {PROBE_TABLE}")


@contextmanager
def _rq_backend(redis_url: str) -> Iterator[None]:
    """This process enqueues through the RQ backend (as ADUAN_TASKS=redis configures it,
    but with a queue the workers read: not the suite's synchronous one)."""
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
        RQ_QUEUES={"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 60}},
        RQ={"JOB_CLASS": "django_tasks_rq.Job"},
    ):
        yield


def _rows_recorded() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {PROBE_TABLE}")
        return cursor.fetchone()[0]


def _worker_environment(tmp_path: Path, redis_url: str) -> dict[str, str]:
    """A production environment (not the suite's) pointing at this test's database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ADUAN_", "PYTEST_", "DJANGO_"))
        and key not in ("DEBUG", "DATABASE_URL", "SECRET_KEY")
    }
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{connection.settings_dict['NAME']}"
    else:  # the suite's DATABASE_URL with the test database's name
        suite = urlsplit(os.environ["DATABASE_URL"])
        database_url = urlunsplit(suite._replace(path=f"/{connection.settings_dict['NAME']}"))
    env.update(
        ADUAN_TASKS="redis",
        ADUAN_REDIS_URL=redis_url,
        ADUAN_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=database_url,
        SECRET_KEY=settings.SECRET_KEY,
    )
    return env


def _start_worker(tmp_path: Path, redis_url: str, name: str) -> subprocess.Popen:
    log = (tmp_path / f"{name}.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", "default", "--name", name],
        cwd=settings.BASE_DIR,
        env=_worker_environment(tmp_path, redis_url),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its work-horse children are stopped with it
    )
    worker.log = log  # type: ignore[attr-defined]
    return worker


def _wait_until(condition: Callable[[], bool], what: str, workers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        stopped = [w for w in workers if w.poll() is not None]
        if stopped:
            pytest.fail(f"A worker stopped while waiting for {what}:\n{_log_of(stopped[0])}")
        if time.monotonic() > deadline:
            pytest.fail(f"Waited {DEADLINE_SECONDS} s for {what}.\n{_log_of(workers[0])}")
        time.sleep(0.05)


def _log_of(worker: subprocess.Popen) -> str:
    return Path(worker.log.name).read_text(errors="replace")[-3000:]


def _stop(workers: list[subprocess.Popen]) -> None:
    """SIGTERM (RQ's warm shutdown: the job under way finishes), then SIGKILL to the
    worker's process group if it does not stop within 10 seconds."""
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            worker.log.close()
