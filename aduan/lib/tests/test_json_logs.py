"""ADUAN_LOG_FORMAT=json: every log line on stderr is one JSON object that a log collector
reads: time, level, logger, message, and the traceback as a string."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

LOG_SOME_LINES = """
import django, logging, os, warnings
os.environ["DJANGO_SETTINGS_MODULE"] = "aduan.settings"
django.setup()
log = logging.getLogger("aduan.sla.sweep")
log.info("Sweep: %d reminders, %d overdue", 3, 1)
log.warning("two lines\\nin one message")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("the outbox sender failed")
logging.getLogger("weasyprint").info("not shown: below WARNING")
warnings.warn("No directory at: /srv/aduan/static/")
print("stdout stays for the command's own output")
"""


def run(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADUAN_", "DJANGO_", "PYTEST_", "LOG_"))
        and k not in ("DATABASE_URL", "SECRET_KEY")
    }
    clean.update(ADUAN_DEMO="1", ADUAN_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-c", LOG_SOME_LINES],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_json_logs_are_one_object_per_line_on_stderr(tmp_path):
    result = run(tmp_path, ADUAN_LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "stdout stays for the command's own output\n"
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(r["level"], r["logger"], r["message"]) for r in records] == [
        ("INFO", "aduan.sla.sweep", "Sweep: 3 reminders, 1 overdue"),
        ("WARNING", "aduan.sla.sweep", "two lines\nin one message"),
        ("ERROR", "aduan.sla.sweep", "the outbox sender failed"),
        ("WARNING", "py.warnings", records[3]["message"]),
    ]
    assert "UserWarning: No directory at: /srv/aduan/static/" in records[3]["message"]
    for record in records:
        stamp = dt.datetime.fromisoformat(record["time"])
        assert stamp.utcoffset() == dt.timedelta(0)
        assert abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(minutes=5)
        assert "request_id" not in record  # not in a request
    assert "exc_info" not in records[0]
    assert records[2]["exc_info"].startswith("Traceback (most recent call last):")
    assert records[2]["exc_info"].rstrip().endswith("ZeroDivisionError: division by zero")


def test_text_logs_stay_the_default(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:3] == [
        "Sweep: 3 reminders, 1 overdue",
        "two lines",
        "in one message",
    ]
    assert "Traceback (most recent call last):" in result.stderr


def test_an_unknown_log_format_stops_the_command_naming_the_variable(tmp_path):
    result = run(tmp_path, ADUAN_LOG_FORMAT="yaml")
    assert result.returncode != 0
    assert "ADUAN_LOG_FORMAT='yaml' must be text (the default) or json" in result.stderr
