"""Send the outbox: one pass, or a pass every --interval seconds with --loop."""

import logging

from django.core.management.base import BaseCommand, CommandError

from aduan.lib.loop import run_passes
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
        run_passes(
            name="Outbox",
            one_pass=lambda: deliveries_send(batch=batch),
            interval=interval,
            logger=logger,
            worth_logging=lambda c: bool(c.sent or c.retrying or c.failed),
            again_at_once=lambda c: c.sent + c.retrying + c.failed >= batch,
        )
