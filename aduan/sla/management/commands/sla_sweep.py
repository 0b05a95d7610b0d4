"""Run the SLA sweep: one pass, or a pass every --interval seconds with --loop."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from aduan.sla.sweep import sla_sweep

logger = logging.getLogger("aduan.sla.sweep")


class Command(BaseCommand):
    help = (
        "Remind officials of steps near their standard time, mark overdue steps and tell the "
        "level above, close complaints whose citizen did not answer in time. One pass; "
        "--loop repeats it every --interval seconds until stopped (Ctrl+C or SIGTERM)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sweeping until stopped")
        parser.add_argument(
            "--interval", type=float, default=60, help="seconds between passes (default 60)"
        )
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction")

    def handle(self, *args, loop: bool, interval: float, batch: int, **options):
        if interval <= 0 or batch <= 0:
            raise CommandError("--interval and --batch must be above 0.")
        if not loop:
            self.stdout.write(f"SLA sweep: {sla_sweep(batch=batch)}")
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        logger.info("SLA sweep: every %s s", interval)
        while not stop.is_set():
            try:
                counts = sla_sweep(batch=batch)
            except DatabaseError:
                # The database is away or the connection broke: say so, reconnect next pass.
                logger.exception("SLA sweep: the pass failed; trying again in %s s", interval)
                connections.close_all()
            else:
                if counts.reminded or counts.overdue or counts.withdrawn:
                    logger.info("SLA sweep: %s", counts)
            stop.wait(interval)
        logger.info("SLA sweep: stopped")
