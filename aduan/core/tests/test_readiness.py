"""/readyz tells a load balancer whether to send this process requests: the database
answers, every migration is applied, the task backend answers, uploads can be stored."""

import os
import socket
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import OperationalError

from aduan.core import health_views

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch, settings, tmp_path):
    """Each test is a process that has not yet seen its migrations applied."""
    monkeypatch.setattr(health_views, "_migrations_applied", False)
    settings.MEDIA_ROOT = tmp_path / "media"


def lines(response) -> list[str]:
    return response.content.decode().splitlines()


def test_ready_when_database_migrations_tasks_and_storage_answer(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert lines(response) == [
        "database: ok",
        "migrations: ok",
        "tasks: ok",
        "storage: ok",
    ]
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # a probe every few seconds makes no session
    # The file written to check the storage is gone again.
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []


def test_not_ready_when_the_database_does_not_answer(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "database: unavailable" in lines(response)
    assert "migrations: not checked (no database)" in lines(response)
    assert "connection refused" not in response.content.decode()  # details go to the log


def test_not_ready_while_a_migration_is_not_applied(client):
    latest = MigrationRecorder.Migration.objects.filter(app="complaints").order_by("-name")[0]
    latest.delete()  # as if the new code were deployed before `manage.py migrate`
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "migrations: 1 not applied (run manage.py migrate)" in lines(response)

    MigrationRecorder.Migration.objects.create(app=latest.app, name=latest.name)
    assert client.get("/readyz").status_code == 200


def test_once_migrations_are_applied_the_process_does_not_read_them_again(client):
    assert client.get("/readyz").status_code == 200
    with mock.patch.object(health_views, "MigrationExecutor") as executor:
        assert client.get("/readyz").status_code == 200
    executor.assert_not_called()


def test_not_ready_when_the_storage_takes_no_file(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "storage: unavailable" in lines(response)
    assert "database: ok" in lines(response)
    assert str(tmp_path) not in response.content.decode()


def test_not_ready_when_redis_does_not_answer(client, settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.TASK_BACKEND = "redis"
    settings.RQ_QUEUES = {"default": {"URL": f"redis://:hunter2@127.0.0.1:{closed}/0"}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "tasks: unavailable" in lines(response)
    assert "hunter2" not in response.content.decode()
    assert str(closed) not in response.content.decode()


def test_the_liveness_check_stays_as_it_was(client, monkeypatch):
    """/healthz only asks the database: a process waiting for Redis is not restarted."""
    monkeypatch.setattr("aduan.core.health.task_backend_ready", lambda: (False, "down"))
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200


PROBE_OVER_PLAIN_HTTP = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "aduan.settings"
django.setup()
from django.test import Client
response = Client(SERVER_NAME="aduan.mojokertokota.go.id").get("/readyz")
print(response.status_code)
print(response.content.decode())
"""


def test_behind_the_tls_proxy_a_fresh_install_answers_the_probe_over_plain_http(tmp_path):
    """The load balancer probes over plain HTTP: not redirected to HTTPS; and a database
    that was never migrated is not ready."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADUAN_", "DJANGO_", "PYTEST_"))
        and k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "HTTPS")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="s" * 60,
        ALLOWED_HOSTS="aduan.mojokertokota.go.id",
        HTTPS="1",
        ADUAN_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'aduan.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE_OVER_PLAIN_HTTP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    status, *report = result.stdout.splitlines()
    assert status == "503"
    assert "database: ok" in report
    assert any(line.startswith("migrations: ") and "not applied" in line for line in report)
