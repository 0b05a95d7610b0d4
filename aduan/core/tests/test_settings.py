"""Settings come from the environment and fail loudly, with a sentence a person can act on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from aduan.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[3]


def load_settings(tmp_path, **env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter, as the web server or worker would."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "DEBUG",
            "ADUAN_DEMO",
            "DATABASE_URL",
            "ALLOWED_HOSTS",
            "PYTEST_CURRENT_TEST",
        )
    }
    clean.update({"ADUAN_DATA_DIR": str(tmp_path / "data"), **env})
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='aduan.settings'; "
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.TIME_ZONE, "
        "settings.LANGUAGE_CODE, settings.DATABASES['default']['NAME'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_demo_mode_generates_and_keeps_a_secret_key_in_the_data_folder(tmp_path):
    assert load_settings(tmp_path, ADUAN_DEMO="1").returncode == 0
    key_file = tmp_path / "data" / "secret_key"
    first = key_file.read_text()
    assert len(first) > 40
    assert load_settings(tmp_path, ADUAN_DEMO="1").returncode == 0
    assert key_file.read_text() == first


def test_defaults_are_sqlite_in_the_data_folder_jakarta_time_and_indonesian(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="s" * 50)
    assert result.returncode == 0, result.stderr
    engine, tz, lang, name = result.stdout.split()
    assert (engine, tz, lang) == ("django.db.backends.sqlite3", "Asia/Jakarta", "id")
    assert name == str(tmp_path / "data" / "aduan.sqlite3")


def test_database_url_chooses_postgresql(tmp_path):
    result = load_settings(
        tmp_path, SECRET_KEY="s" * 50, DATABASE_URL="postgres://aduan@db.example:5432/aduan"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def database_options(tmp_path, **env) -> dict:
    code = (
        "import os, json; os.environ['DJANGO_SETTINGS_MODULE']='aduan.settings'; "
        "from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY")}
    clean |= {"ADUAN_DATA_DIR": str(tmp_path / "data"), "SECRET_KEY": "s" * 50, **env}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_prepares_statements_unless_told_not_to(tmp_path):
    url = "postgres://aduan@db.example:5432/aduan?sslmode=require"
    options = database_options(tmp_path, DATABASE_URL=url)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert options["sslmode"] == "require"  # the URL's own options are kept
    behind_pooler = database_options(tmp_path, DATABASE_URL=url, DB_PREPARED_STATEMENTS="off")
    assert "server_side_binding" not in behind_pooler
    assert "prepare_threshold" not in behind_pooler


@pytest.mark.django_db
def test_on_postgresql_a_statement_run_again_is_planned_once():
    """The statement a filing runs on every request is prepared on the connection after
    its fifth run (psycopg's prepare_threshold), not parsed and planned each time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (CI runs this suite on it too)")
    sql = "SELECT count(*) FROM complaints_category WHERE code = %s"
    with connection.cursor() as cursor:
        for n in range(6):
            cursor.execute(sql, [f"code-{n}"])
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("FROM complaints_category WHERE code = $1" in text for text in prepared)


def test_an_unsupported_database_is_refused_by_name(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="s" * 50, DATABASE_URL="mysql://u@h/db")
    assert result.returncode != 0
    assert "Aduan runs on SQLite or PostgreSQL" in result.stderr


def test_a_bad_yes_no_value_is_refused_by_name(tmp_path):
    result = load_settings(tmp_path, SECRET_KEY="s" * 50, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a yes/no value" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "ADUAN_REPLY_WAIT_DAYS=0 must be 1 or more"),
        ("a month", "ADUAN_REPLY_WAIT_DAYS='a month' is not a whole number"),
    ],
)
def test_a_bad_reply_wait_is_refused_by_name(tmp_path, value, message):
    result = load_settings(tmp_path, SECRET_KEY="s" * 50, ADUAN_REPLY_WAIT_DAYS=value)
    assert result.returncode != 0
    assert message in result.stderr


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", " a.example, b.example ,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 3) == 12
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    assert env_int("X_MISSING", 3) == 3
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_INT='twelve' is not a whole number"):
        env_int("X_INT", 3)
