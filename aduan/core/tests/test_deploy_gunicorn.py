"""deploy/gunicorn.conf.py, as docs/deployment.md runs it: gunicorn starts, serves the
health check, and with ADUAN_LOG_FORMAT=json its own lines are JSON too."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> int:
    """The status of the first answer from `url` (polled while gunicorn boots)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn exited with {proc.returncode}")
        try:
            return urllib.request.urlopen(url, timeout=5).status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_gunicorn_serves_with_the_deploy_configuration_and_logs_json(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADUAN_", "DJANGO_", "PYTEST_", "WEB_", "LOG_"))
        and k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")
    }
    env.update(
        ADUAN_DEMO="1",
        ADUAN_DATA_DIR=str(tmp_path / "data"),
        ADUAN_LOG_FORMAT="json",
        ADUAN_BIND=f"127.0.0.1:{port}",
        ADUAN_GUNICORN_LOG_LEVEL="info",
        WEB_CONCURRENCY="1",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "aduan.wsgi:application"],
        cwd=tmp_path,  # the configuration finds the code wherever gunicorn starts
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz", proc) == 200
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        _out, err = proc.communicate(timeout=30)
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    other = [line for line in err.splitlines() if not line.startswith("{")]
    assert other == [], other  # no line of text among the JSON
    messages = [r["message"] for r in records if r["logger"] == "gunicorn.error"]
    assert any(m.startswith("Listening at: http://127.0.0.1:") for m in messages), messages
    assert "Using worker: sync" in messages
    # No access log from gunicorn (nginx keeps it, without tracking secrets).
    assert not [r for r in records if r["logger"] == "gunicorn.access"]
