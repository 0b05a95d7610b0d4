"""Serve Aduan: the web server (gunicorn) with the intake worker, the background worker,
the SLA sweep, the outbox sender and the retention sweep beside it."""

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from aduan.core.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = (
        "Run the web server, the background worker, the SLA sweep and the outbox sender "
        "together (Ctrl+C stops them all)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=2, help="web worker processes")

    def handle(self, *args, port, host, workers, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "aduan.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
            "--chdir",
            str(settings.BASE_DIR),
        ]
        worker = [*manage, "db_worker", "--no-reload", "--interval", "1"]
        if settings.TASK_BACKEND == "redis":  # ADUAN_TASKS=redis: an RQ worker instead
            worker = [*manage, "rqworker", "default", "--with-scheduler"]
        # Reminders, overdue steps, unanswered requests: a pass every minute.
        sweep = [*manage, "sla_sweep", "--loop", "--interval", "60"]
        # Public filings taken as intakes, registered in the agenda book: a pass a second.
        intake = [*manage, "intake_register", "--loop", "--interval", "1"]
        # Messages to citizens and officials: a pass every 2 seconds.
        outbox = [*manage, "outbox_send", "--loop", "--interval", "2"]
        # Personal data past ADUAN_RETENTION_DAYS erased: a pass every hour.
        retention = [*manage, "retention_sweep", "--loop", "--interval", "3600"]
        commands = [web, intake, worker, sweep, outbox, retention]
        if settings.CLAMD:  # attachments held while the virus scanner was down
            commands.append([*manage, "attachments_rescan", "--loop", "--interval", "300"])
        procs = [subprocess.Popen(cmd) for cmd in commands]

        url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"
        if not self._wait_until_listening(
            "127.0.0.1" if host in ("0.0.0.0", "") else host, port, procs
        ):
            for p in procs:
                if p.poll() is None:
                    p.terminate()
            self.stderr.write(
                f"The web server did not start on port {port} "
                "(is another program using it? Try PORT=8080 make run)."
            )
            sys.exit(1)
        self.stdout.write(f"\nAduan is running at {url}/  (Ctrl+C stops it)")
        if settings.DEMO:
            self.stdout.write(f"Demo logins at {url}/meja/masuk/, password '{DEMO_PASSWORD}':")
            for username, first, last, role in DEMO_USERS:
                self.stdout.write(f"  {username:<6} {first} {last} ({role or 'administrator'})")
        self.stdout.write("")

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(p.poll() is None for p in procs):
                time.sleep(0.5)
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        failed = [p for p in procs if p.returncode not in (0, -signal.SIGTERM, None)]
        if failed and not stopping:
            self.stderr.write("A process stopped unexpectedly; Aduan has been shut down.")
            sys.exit(1)

    @staticmethod
    def _wait_until_listening(host: str, port: int, procs, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in procs):
                return False
            try:
                with socket.create_connection((host, port), timeout=1):
                    return True
            except OSError:
                time.sleep(0.2)
        return False
