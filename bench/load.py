"""Load helpers shared by bench/soak.py and the crash-safety test
(aduan/core/tests/test_crash_safety.py): a throwaway installation served by gunicorn as
production runs it, and a small HTTP client on the standard library.

- `installation_create` makes an empty database of its own (SQLite in a temporary folder;
  with a PostgreSQL `base_url`, a new database on that server, dropped by `drop()`) and the
  environment that points `manage.py` and gunicorn at it: production settings (no
  ADUAN_TESTING, no DEBUG, no demo; database connections kept for 60 s, as the deployment
  guide sets DB_CONN_MAX_AGE), a secret key of its own, no rate limit on filing.
- `installation_prepare` migrates it and loads the SOP (`sop_load`), and collects the static
  files when pages are to be served (the manifest storage of production needs them).
- `Server` runs `gunicorn aduan.wsgi:application --workers N` in a process group of its own,
  so it can be killed whole (SIGKILL) and started again on the same port; without the
  background loops of `manage.py serve` (worker, SLA sweep, outbox sender).
- `http_request` sends one request on a fresh connection and returns status, headers and
  body, or raises `NoAnswer` when the server gave none (refused, reset, closed early).
"""

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class NoAnswer(Exception):
    """The server gave no (complete) response: the request may or may not have been acted on."""


# --- the installation ---------------------------------------------------------------------


@dataclass
class Installation:
    folder: Path  # the data folder: SQLite file (if any), media, static, server logs
    database_url: str
    env: dict[str, str]
    drop: Callable[[], None] = field(repr=False)

    @property
    def vendor(self) -> str:
        return "postgresql" if self.database_url.startswith("postgres") else "sqlite"


def installation_create(*, base_url: str = "", prefix: str = "aduan_load") -> Installation:
    """An empty database and data folder of its own. `base_url`: a PostgreSQL DATABASE_URL
    whose server gets a new database; otherwise SQLite in the temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    if base_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"{prefix}_{os.getpid()}_{secrets.token_hex(3)}"
        parts = urlsplit(base_url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = urlunsplit(parts._replace(path=f"/{name}"))

        def drop():
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(folder, ignore_errors=True)

    else:
        url = f"sqlite:///{folder / 'aduan.sqlite3'}"

        def drop():
            shutil.rmtree(folder, ignore_errors=True)

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ADUAN_", "DJANGO_")) and key not in ("DEBUG", "DATABASE_URL")
    }
    env.update(
        {
            "DATABASE_URL": url,
            "ADUAN_DATA_DIR": str(folder),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "ADUAN_SUBMIT_RATE": "off",  # one client address files every complaint
            "ADUAN_TRACK_RATE": "off",
            "ADUAN_POST_RATE": "off",
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore",
            # Connections kept between requests, as docs/deployment.md sets it (0 would
            # open one a request: on PostgreSQL some 5 ms each).
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        }
    )
    return Installation(folder=folder, database_url=url, env=env, drop=drop)


def manage(installation: Installation, *args: str, timeout: float = 300, settings: str = "") -> str:
    """Run `manage.py` against the installation (with another settings module if given);
    its output, or an error with it."""
    env = installation.env | ({"DJANGO_SETTINGS_MODULE": settings} if settings else {})
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return done.stdout


def installation_prepare(installation: Installation, *, static: bool = False) -> None:
    manage(installation, "migrate", "--verbosity", "0")
    manage(installation, "sop_load")
    if static:
        manage(installation, "collectstatic", "--noinput", "--verbosity", "0")


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as production runs it, in a process group of its own."""

    def __init__(
        self,
        installation: Installation,
        *,
        port: int | None = None,
        workers: int = 2,
        settings: str = "",
    ):
        self.installation = installation
        self.port = port or free_port()
        self.workers = workers
        # Another settings module (e.g. bench.insertsite.settings): the same installation.
        self.env = installation.env | ({"DJANGO_SETTINGS_MODULE": settings} if settings else {})
        self.process: subprocess.Popen | None = None
        self.starts = 0

    @property
    def log_path(self) -> Path:
        return self.installation.folder / f"gunicorn-{self.port}-{self.starts}.log"

    def start(self, timeout: float = 60) -> None:
        self.starts += 1
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "aduan.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
                "--chdir",
                str(ROOT),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches every worker
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log()}")
            try:
                status, _headers, _body = http_request(self.port, "GET", "/healthz", timeout=5)
            except NoAnswer:
                time.sleep(0.1)
                continue
            if status == 200:
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL to the whole process group: master and workers die at once, mid-request."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful stop), SIGKILL after 20 s."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def pids(self) -> dict[str, int]:
        """{"master": pid, "worker 1": pid, …} of the running server (workers by pid order)."""
        assert self.process is not None
        master = self.process.pid
        children = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # "pid (comm) state ppid …": comm may hold spaces, so split after the ")".
            if int(stat.rpartition(")")[2].split()[1]) == master:
                children.append(int(entry.name))
        return {"master": master} | {
            f"worker {n}": pid for n, pid in enumerate(sorted(children), start=1)
        }


def rss_mib(pid: int) -> float | None:
    """The process's resident memory (VmRSS) in MiB; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


# --- HTTP ---------------------------------------------------------------------------------


def http_request(
    port: int,
    method: str,
    path: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request on a fresh connection: (status, headers, body). NoAnswer when the server
    refused, reset or closed the connection before a whole response was read."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise NoAnswer(f"{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()


def multipart(
    fields: dict[str, str], files: list[tuple[str, str, str, bytes]] = ()
) -> tuple[bytes, str]:
    """multipart/form-data of `fields` and `files` [(field, file name, type, bytes)]:
    (body, Content-Type header)."""
    boundary = "----aduan" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(head.encode() + value.encode() + b"\r\n")
    for name, filename, content_type, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def complaint_fields(n: int) -> dict[str, str]:
    """A valid complaint for the public filing endpoints, numbered n."""
    return {
        "category": "ktp-el",
        "subject": f"KTP-el belum jadi (uji beban {n})",
        "description": f"Sudah tiga minggu sejak perekaman, KTP-el saya belum jadi. Nomor {n}.",
        "name": f"Warga Uji {n}",
        "phone": f"0812{n % 100_000_000:08d}",
    }


def complaint_file(
    port: int,
    n: int,
    *,
    idempotency_key: str | None = None,
    attachment: tuple[str, str, bytes] | None = None,
    timeout: float = 60,
) -> tuple[int, dict]:
    """POST /api/v1/complaints (the public JSON API, as a citizen's app files): (status,
    the JSON answer). Raises NoAnswer."""
    files = [("attachments", *attachment)] if attachment else []
    body, content_type = multipart(complaint_fields(n), files)
    headers = {"Content-Type": content_type}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    status, _headers, raw = http_request(
        port, "POST", "/api/v1/complaints", body=body, headers=headers, timeout=timeout
    )
    try:
        answer = json.loads(raw) if raw else {}
    except ValueError:
        answer = {"raw": raw[:500].decode(errors="replace")}
    return status, answer


def form_body(fields: dict[str, str]) -> bytes:
    return urlencode(fields).encode()


class Browser:
    """An official's browser: cookies kept, no redirects followed, the CSRF token of the
    last page read (Django's `csrfmiddlewaretoken`)."""

    CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(
        self, method: str, path: str, fields: dict[str, str] | None = None, timeout: float = 60
    ) -> tuple[int, http.client.HTTPMessage, str]:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = form_body({"csrfmiddlewaretoken": self.csrf, **fields})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, answer_headers, raw = http_request(
            self.port, method, path, body=body, headers=headers, timeout=timeout
        )
        for cookie in answer_headers.get_all("Set-Cookie") or []:
            name, _eq, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        text = raw.decode("utf-8", errors="replace")
        if match := self.CSRF_INPUT.search(text):
            self.csrf = match.group(1)
        return status, answer_headers, text

    def log_in(self, username: str, password: str) -> None:
        self.request("GET", "/meja/masuk/")
        status, headers, text = self.request(
            "POST", "/meja/masuk/", {"username": username, "password": password, "next": ""}
        )
        if status != 302:
            raise RuntimeError(f"{username} could not log in ({status}): {text[:300]}")
