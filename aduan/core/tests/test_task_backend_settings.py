"""ADUAN_TASKS chooses where background tasks wait: the database (default) or Redis (RQ)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SHOW = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'aduan.settings'; "
    "django.setup(); from django.conf import settings; "
    "print(json.dumps({'pid': os.getpid(), 'tasks': settings.TASKS, "
    "'rq_queues': getattr(settings, 'RQ_QUEUES', None), "
    "'apps': [a for a in settings.INSTALLED_APPS if 'rq' in a]}))"
)


def run(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """A fresh interpreter with the environment of a server (ADUAN_DEMO=1) plus `env`."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADUAN_", "PYTEST_", "DJANGO_")) and k != "DATABASE_URL"
    }
    clean.update({"ADUAN_DATA_DIR": str(tmp_path / "data"), "ADUAN_DEMO": "1", **env})
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def settings_of(tmp_path, **env: str) -> dict:
    result = run(tmp_path, "-c", SHOW, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_tasks_wait_in_the_database_by_default(tmp_path):
    shown = settings_of(tmp_path)
    assert shown["tasks"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert shown["apps"] == []


def test_redis_keeps_the_queue_at_the_address_given(tmp_path):
    shown = settings_of(tmp_path, ADUAN_TASKS="redis", ADUAN_REDIS_URL="redis://queue.lan:6380/3")
    assert shown["tasks"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert shown["tasks"]["default"]["QUEUES"] == ["default"]
    assert shown["rq_queues"]["default"]["URL"] == "redis://queue.lan:6380/3"
    assert shown["rq_queues"]["default"].get("ASYNC", True) is True
    assert shown["apps"] == ["django_rq", "django_tasks_rq"]


def test_redis_defaults_to_the_local_server(tmp_path):
    shown = settings_of(tmp_path, ADUAN_TASKS="Redis")
    assert shown["rq_queues"]["default"]["URL"] == "redis://127.0.0.1:6379/0"


def test_the_rq_worker_command_exists_with_redis(tmp_path):
    result = run(tmp_path, "manage.py", "help", "rqworker", ADUAN_TASKS="redis")
    assert result.returncode == 0, result.stderr
    assert "--job-class" in result.stdout


def test_the_test_suite_runs_tasks_through_a_synchronous_redis_queue_of_its_own(tmp_path):
    shown = settings_of(tmp_path, ADUAN_TASKS="redis", ADUAN_TESTING="1")
    assert shown["tasks"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    queue = shown["rq_queues"]["default"]
    assert queue["ASYNC"] is False
    assert queue["URL"] == f"redis://127.0.0.1:6379/{shown['pid'] % 16}"


def test_an_unknown_task_backend_stops_start_up(tmp_path):
    result = run(tmp_path, "-c", SHOW, ADUAN_TASKS="celery")
    assert result.returncode != 0
    assert "ADUAN_TASKS='celery' is not a task backend: use database" in result.stderr


def test_an_address_that_is_not_redis_stops_start_up(tmp_path):
    result = run(tmp_path, "-c", SHOW, ADUAN_TASKS="redis", ADUAN_REDIS_URL="http://queue.lan")
    assert result.returncode != 0
    assert "ADUAN_REDIS_URL='http://queue.lan' is not a Redis address" in result.stderr
