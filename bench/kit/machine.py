"""What the figures were measured on: the machine, the versions, the date."""

import datetime as dt
import os
import platform
import socket
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine() -> dict:
    memory_kb = _first("/proc/meminfo", "MemTotal").split()[0:1]
    try:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = ""
    return {
        "hostname": socket.gethostname(),
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": round(int(memory_kb[0]) / 1024 / 1024, 1) if memory_kb else None,
        "kernel": f"{platform.system()} {platform.release()} {platform.machine()}",
        "load_at_start": load,
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except OSError:
        return ""


def postgres_version(url: str) -> str:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=5) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # noqa: BLE001 (a missing server is a line in the report)
        return f"not reachable ({type(exc).__name__})"


def versions(*, postgres_url: str | None) -> dict:
    commit = _git("rev-parse", "--short=12", "HEAD")
    if commit and _git("status", "--porcelain", "--untracked-files=no"):
        commit += " (with uncommitted changes)"
    found = {
        "python": platform.python_version(),
        "django": metadata.version("django"),
        "gunicorn": metadata.version("gunicorn"),
        "psycopg": metadata.version("psycopg"),
        "sqlite": sqlite3.sqlite_version,
        "aduan_commit": commit or "unknown",
    }
    if postgres_url:
        found["postgresql"] = postgres_version(postgres_url)
    return found


def now() -> dt.datetime:
    return dt.datetime.now().astimezone()
