"""Configured as the README says for production, `manage.py check --deploy` finds nothing."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "roduction-secret-of-the-office-" + "k" * 20,
    "ALLOWED_HOSTS": "aduan.mojokertokota.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://aduan.mojokertokota.go.id",
    "HTTPS": "1",
    "ADUAN_PUBLIC_URL": "https://aduan.mojokertokota.go.id",
    "DATABASE_URL": "postgres://aduan@db.example:5432/aduan",
}


def check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a fresh interpreter, as an operator would run it."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADUAN_", "DJANGO_", "PYTEST_"))
        and k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "HTTPS")
    }
    clean.update(
        ADUAN_DATA_DIR=str(tmp_path / "data"),
        ADUAN_DATA_KEYS=Fernet.generate_key().decode(),
        **PRODUCTION,
    )
    clean.update(env)
    clean = {k: v for k, v in clean.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_every_deployment_check(tmp_path):
    result = check_deploy(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "ERROR" not in output


def test_the_check_can_fail_plain_http_and_a_derived_data_key_are_named(tmp_path):
    """The check above is not empty: each production mistake is reported, not hidden."""
    result = check_deploy(tmp_path, HTTPS="0", ADUAN_DATA_KEYS=None)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for check_id in (
        "security.W004",  # no HSTS
        "security.W008",  # no redirect to HTTPS
        "security.W012",  # session cookie over plain HTTP
        "security.W016",  # CSRF cookie over plain HTTP
        "aduan.crypto.W001",  # personal data under a key derived from SECRET_KEY
    ):
        assert check_id in output


REQUESTS_BEHIND_THE_PROXY = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "aduan.settings"
django.setup()
from django.test import Client
client = Client(SERVER_NAME="aduan.mojokertokota.go.id")
plain = client.get("/sop/")
print("plain", plain.status_code, plain.get("Location"))
health = client.get("/healthz")
print("healthz", health.status_code)
secure = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
print("hsts", secure.get("Strict-Transport-Security"))
"""


def test_behind_the_tls_proxy_plain_http_is_redirected_and_https_pins_itself(tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ADUAN_", "DJANGO_", "PYTEST_")) and k != "DATABASE_URL"
    }
    clean.update(
        PRODUCTION,
        ADUAN_DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'data' / 'aduan.sqlite3'}",
    )
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS_BEHIND_THE_PROXY],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "plain 301 https://aduan.mojokertokota.go.id/sop/" in lines
    assert "healthz 200" in lines  # the load balancer checks over plain HTTP
    assert "hsts max-age=31536000; includeSubDomains" in lines
