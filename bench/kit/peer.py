"""django-helpdesk beside Aduan, driven by the same load generator (bench.kit.loadgen).

The peer kit (../shared/peer-bench: a Django project hosting django-helpdesk from PyPI, its
`peer_setup`/`peer_seed` commands, a one-INSERT view, count_queries.py) is copied to a
writable, git-ignored folder (bench/.peer/ by default), with its own virtual environment
(pip install from PyPI, a few minutes the first time, reused after). Its scenarios, as its
run_all.sh runs them: a fresh SQLite database, gunicorn with N sync workers, public ticket
submission (the form's CSRF token fetched once per client, then POSTs, 302) and the
one-INSERT view (201) at each concurrency, then for each size: top up the tickets
(`peer_seed --total N`), count queries (count_queries.py), and a signed-in staff member's
dashboard, ticket list page and the list's JSON rows (25), sequentially.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.kit.loadgen import (
    Done,
    Operation,
    Session,
    get_page,
    run_closed_loop,
    run_sequential,
)
from bench.load import HOST, free_port

# Pinned so that the figures can be repeated; the peer kit's README ran these versions.
PEER_PACKAGES = ("django-helpdesk==2.6.1", "Django==5.2.19", "gunicorn==27.0.1")
SUBMIT = "/helpdesk/tickets/submit/"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
QUEUE_OPTION = re.compile(rb'<select name="queue"[^>]*>.*?<option value="(\d+)"', re.S)
QUERY_ENCODED = re.compile(rb'name="query_encoded" value="([^"]+)"')


class Peer:
    def __init__(self, *, kit: Path, home: Path, workers: int, log=print):
        self.kit, self.home, self.workers, self.log = kit, home, workers, log
        self.project = home / "peer" / "peerproj"
        self.venv = home / "peer" / "venv"
        self.python = self.venv / "bin" / "python"
        self.folder = Path(tempfile.mkdtemp(prefix="aduan-bench-peer-"))
        self.env = {"PEER_DB": str(self.folder / "db.sqlite3"), "PEER_DIR": str(self.project)}
        self.port = free_port()
        self.server: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    # --- installation ---------------------------------------------------------------------

    def prepare(self) -> dict[str, str]:
        """Copy the kit (once), make its virtual environment (once), a fresh database.
        Returns the versions installed."""
        if not (self.home / "loadgen.py").exists():
            if not (self.kit / "peer" / "peerproj").is_dir():
                raise SystemExit(
                    f"The peer kit is not at {self.kit}: pass --peer-kit or --no-peer."
                )
            shutil.copytree(self.kit, self.home, dirs_exist_ok=True)
            for path in [self.home, *self.home.rglob("*")]:
                path.chmod(path.stat().st_mode | 0o200)  # the shared kit is read-only
        (self.home / ".gitignore").write_text("*\n")  # the folder ignores itself
        installed = self.venv / ("installed-" + "-".join(PEER_PACKAGES))
        if not installed.exists():
            self.log(f"  making the peer's virtual environment in {self.venv} (a few minutes)")
            subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
            subprocess.run(
                [str(self.python), "-m", "pip", "install", "-q", *PEER_PACKAGES],
                check=True,
            )
            installed.touch()
        self.manage("migrate", "-v0")
        self.manage("peer_setup")
        return self.versions()

    def versions(self) -> dict[str, str]:
        frozen = subprocess.run(
            [str(self.python), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
        ).stdout
        wanted = {"django", "django-helpdesk", "gunicorn", "djangorestframework"}
        return {
            name: version
            for line in frozen.splitlines()
            if "==" in line
            for name, version in [line.split("==", 1)]
            if name.lower() in wanted
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [str(self.python), "manage.py", *args],
            cwd=self.project,
            env=self._env(),
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"peer manage.py {' '.join(args)}:\n{done.stdout}{done.stderr}")
        return done.stdout

    def _env(self) -> dict[str, str]:
        return {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | self.env

    # --- server ---------------------------------------------------------------------------

    def start(self) -> None:
        log = (self.folder / "gunicorn.log").open("wb")
        self.server = subprocess.Popen(
            [
                str(self.venv / "bin" / "gunicorn"),
                "--chdir",
                str(self.project),
                "peerproj.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            env=self._env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"the peer's gunicorn stopped:\n{self.server_log()}")
            try:
                if Session(self.base_url).request("GET", SUBMIT)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the peer did not answer within 60 s:\n{self.server_log()}")

    def server_log(self) -> str:
        return (self.folder / "gunicorn.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        os.killpg(self.server.pid, signal.SIGTERM)
        try:
            self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait(timeout=10)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- scenarios ------------------------------------------------------------------------

    def submit_worker(self):
        """The peer kit's public submission: the form read once per client (CSRF token,
        public queue), then POSTs, each answered 302."""
        numbers = iter(range(1, 10**9))

        def make_worker(i: int) -> Operation:
            client = Session(self.base_url)
            status, _h, body = client.request("GET", SUBMIT)
            if status != 200:
                raise RuntimeError(f"GET {SUBMIT} answered {status}")
            token = CSRF_INPUT.search(body).group(1).decode()
            queue = QUEUE_OPTION.search(body).group(1).decode()

            def operation() -> Done:
                n = next(numbers)
                status, _h, _b = client.request(
                    "POST",
                    SUBMIT,
                    form={
                        "csrfmiddlewaretoken": token,
                        "queue": queue,
                        "title": f"Load test complaint {i}-{n}",
                        "body": "My order arrived damaged. Please advise on a replacement.",
                        "priority": "3",
                        "submitter_email": f"lt{i}_{n % 1000}@example.invalid",
                        "due_date": "",
                    },
                    headers={"Referer": self.base_url + SUBMIT},
                )
                return Done(ok=status == 302, error=f"HTTP {status}")

            return operation

        return make_worker

    def insert_worker(self):
        def make_worker(i: int) -> Operation:
            client = Session(self.base_url)

            def operation() -> Done:
                status, _h, _b = client.request("POST", "/bench/insert/", form={"note": f"w{i}"})
                return Done(ok=status == 201, error=f"HTTP {status}")

            return operation

        return make_worker

    def staff_pages(self, *, requests: int, warmup: int, label: str) -> list[dict]:
        """Signed in as the peer's staff member: dashboard, ticket list page, its JSON rows."""
        staff = Session(self.base_url)
        status, _h, body = staff.request("GET", "/helpdesk/login/")
        status, _h, _b = staff.request(
            "POST",
            "/helpdesk/login/",
            form={
                "csrfmiddlewaretoken": CSRF_INPUT.search(body).group(1).decode(),
                "username": "staff",
                "password": "staffpass",
                "next": "/helpdesk/dashboard/",
            },
        )
        if status != 302 or "sessionid" not in staff.cookies:
            raise RuntimeError(f"the peer's staff member could not sign in ({status})")
        _s, _h, body = staff.request("GET", "/helpdesk/tickets/")
        pages = [("dashboard", "/helpdesk/dashboard/"), ("ticket list page", "/helpdesk/tickets/")]
        if match := QUERY_ENCODED.search(body):
            pages.append(
                (
                    "ticket list rows (JSON, 25)",
                    f"/helpdesk/datatables_ticket_list/{match.group(1).decode()}"
                    "?draw=1&start=0&length=25",
                )
            )
        return [
            run_sequential(
                get_page(staff, path), requests=requests, warmup=warmup, page=name, size=label
            )
            for name, path in pages
        ]

    def seed(self, total: int) -> float:
        began = time.perf_counter()
        self.manage("peer_seed", "--total", str(total))
        return round(time.perf_counter() - began, 1)

    def count_queries(self) -> list[dict]:
        done = subprocess.run(
            [str(self.python), str(self.home / "count_queries.py"), "--json"],
            cwd=self.home,
            env=self._env(),
            capture_output=True,
            text=True,
            check=True,
        )
        rows = json.loads(done.stdout.strip().splitlines()[-1])["rows"]
        return [
            {
                "what": f"{r['method']} {r['url'][:48]}",
                "status": r["status"],
                "queries": r["queries"],
            }
            for r in rows
        ]


def peer_run(
    *,
    kit: Path,
    home: Path,
    workers: int,
    levels: list[int],
    duration: float,
    sizes: list[int],
    requests: int,
    warmup: int,
    log=print,
) -> dict:
    peer = Peer(kit=kit, home=home, workers=workers, log=log)
    figures: dict = {"sizes": {}}
    try:
        figures["versions"] = peer.prepare()
        peer.start()
        for name, worker in (("submit", peer.submit_worker()), ("insert", peer.insert_worker())):
            figures[name] = []
            for concurrency in levels:
                level = run_closed_loop(worker, concurrency=concurrency, duration=duration)
                log(f"  peer {name} c={concurrency}: {level['rps']}/s p95 {level['p95_ms']} ms")
                figures[name].append(level)
        for size in sizes:
            peer.stop()  # seed with the server stopped, as nothing else writes meanwhile
            seeded = peer.seed(size)
            queries = peer.count_queries()
            peer.start()
            pages = peer.staff_pages(requests=requests, warmup=warmup, label=str(size))
            for page in pages:
                log(f"  peer {size:,} tickets, {page['page']}: p95 {page['p95_ms']} ms")
            figures["sizes"][str(size)] = {"seed_s": seeded, "pages": pages, "queries": queries}
    finally:
        peer.remove()
    return figures
