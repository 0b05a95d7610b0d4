"""The two set-up commands, as a newcomer runs them."""

import os
import socket
import stat
import subprocess
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def make(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "--no-print-directory", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_python_gets_one_line_saying_what_to_install():
    result = make("check-python", PYTHON="/nonexistent/python3")
    assert result.returncode != 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "Aduan needs Python 3.11 or newer" in lines[0] and "install" in lines[0]


def test_a_too_old_python_gets_one_line_naming_its_version(tmp_path):
    old_python = tmp_path / "python3"
    old_python.write_text(
        '#!/bin/sh\nif [ "$1" = "-V" ]; then echo "Python 3.9.2"; exit 0; fi\nexit 1\n'
    )
    old_python.chmod(old_python.stat().st_mode | stat.S_IEXEC)
    result = make("check-python", PYTHON=str(old_python))
    assert result.returncode != 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and "Python 3.9.2" in lines[0] and "3.11" in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_run_twice_serves_the_sop_and_health_with_the_worker_and_sweep_beside_it(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "PYTEST_CURRENT_TEST", "ADUAN_TASKS")
    }  # a newcomer's environment: the embedded database and its task queue
    env.update(ADUAN_DATA_DIR=str(tmp_path / "data"))
    for _run in range(2):  # the second run finds everything in place
        port = free_port()
        proc = subprocess.Popen(
            ["make", "-s", "--no-print-directory", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            output = []
            for line in proc.stdout:
                output.append(line)
                if "Aduan is running at" in line or len(output) > 200:
                    break
            seen = "".join(output)
            assert f"Aduan is running at http://127.0.0.1:{port}/" in seen, seen
            logins = "".join(proc.stdout.readline() for _ in range(6))
            assert "'aduan-demo'" in logins
            for username in ("staff", "kasi", "kabid", "kadis", "admin"):
                assert f"  {username} " in logins
            base = f"http://127.0.0.1:{port}"
            assert urllib.request.urlopen(base + "/healthz", timeout=30).status == 200
            sop = urllib.request.urlopen(base + "/sop/", timeout=10).read().decode()
            assert "SOP/PIPD/PIAK/11" in sop and "140 menit" in sop
            _static_is_hashed_and_compressed(base, sop)
            workers = subprocess.run(
                ["pgrep", "-s", str(proc.pid), "-f", "db_worker"], capture_output=True, text=True
            )
            assert workers.stdout.strip(), "no background worker is running beside the server"
            sweeps = subprocess.run(
                ["pgrep", "-s", str(proc.pid), "-f", "sla_sweep"], capture_output=True, text=True
            )
            assert sweeps.stdout.strip(), "no SLA sweep is running beside the server"
            senders = subprocess.run(
                ["pgrep", "-s", str(proc.pid), "-f", "outbox_send"], capture_output=True, text=True
            )
            assert senders.stdout.strip(), "no outbox sender is running beside the server"
            if _run == 0:
                _a_filing_is_registered_by_the_intake_worker(base, env)
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
    assert (tmp_path / "data" / "aduan.sqlite3").exists()


def _static_is_hashed_and_compressed(base: str, page: str) -> None:
    """The page's style sheet has a hashed name and comes Brotli-compressed to a browser
    that accepts it (collected on each run, compressed on the first)."""
    import re

    sheet = re.search(r'href="(/static/css/[\w.-]+\.[0-9a-f]{12}\.css)"', page)
    assert sheet, "the page links no style sheet with a hashed name"
    asked = urllib.request.Request(base + sheet.group(1), headers={"Accept-Encoding": "br"})
    with urllib.request.urlopen(asked, timeout=10) as answer:
        assert answer.headers["Content-Encoding"] == "br"
        assert "immutable" in answer.headers["Cache-Control"]


def _a_filing_is_registered_by_the_intake_worker(base: str, env: dict) -> None:
    """An Open311 filing answered at once, then registered by the intake worker that
    `make run` started: its request leaves "being recorded" within seconds."""
    import json
    import time
    import urllib.parse

    made = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "open311_key", "create", "uji"],
        cwd=ROOT,
        env={**env, "ADUAN_DEMO": "1"},  # as `make run` sets it
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    key = made.stdout.strip().splitlines()[-1]
    form = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": "ktp-el",
            "description": "KTP-el saya belum jadi sejak tiga minggu.",
            "email": "warga@contoh.id",
        }
    ).encode()
    answer = urllib.request.urlopen(base + "/open311/v2/requests.json", data=form, timeout=30)
    code = json.loads(answer.read())[0]["service_request_id"]
    deadline = time.monotonic() + 30
    while True:
        with urllib.request.urlopen(f"{base}/open311/v2/requests/{code}.json", timeout=10) as r:
            notes = json.loads(r.read())[0]["status_notes"]
        if "sedang dicatat" not in notes or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "sedang dicatat" not in notes, "the intake worker did not register the filing"
