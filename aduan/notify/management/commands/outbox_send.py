"""Send the outbox: one pass, or a pass every --interval seconds with --loop."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from aduan.notify.delivery import deliveries_send

logger = logging.getLogger("aduan.notify")


class Command(BaseCommand):
    help = (
        "Send queued messages (email, WhatsApp, SMS) and retry the ones that failed for a "
        "while. One pass; --loop repeats it every --interval seconds until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sending until stopped")
        parser.add_argument(
            "--interval", type=float, default=2, help="seconds between passes (default 2)"
        )
        parser.add_argument("--batch", type=int, default=50, help="messages per pass")

    def handle(self, *args, loop: bool, interval: float, batch: int, **options):
        if interval <= 0 or batch <= 0:
            raise CommandError("--interval and --batch must be above 0.")
        if not loop:
            self.stdout.write(f"Outbox: {deliveries_send(batch=batch)}")
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        logger.info("Outbox: every %s s", interval)
        while not stop.is_set():
            try:
                counts = deliveries_send(batch=batch)
            except DatabaseError:
                logger.exception("Outbox: the pass failed; trying again in %s s", interval)
                connections.close_all()
                counts = None
            if counts and (counts.sent or counts.retrying or counts.failed):
                logger.info("Outbox: %s", counts)
            if not (counts and counts.sent + counts.retrying + counts.failed >= batch):
                stop.wait(interval)
        logger.info("Outbox: stopped")
