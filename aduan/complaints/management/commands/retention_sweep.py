"""Run the retention sweep: one pass, or a pass every --interval seconds with --loop."""

import logging

from django.core.management.base import BaseCommand, CommandError

from aduan.complaints.retention import retention_sweep
from aduan.lib.loop import run_passes

logger = logging.getLogger("aduan.complaints.retention")


class Command(BaseCommand):
    help = (
        "Erase the personal data and attachments of complaints closed more than "
        "ADUAN_RETENTION_DAYS days ago, keeping the anonymous record. One pass; --loop repeats "
        "it every --interval seconds until stopped (Ctrl+C or SIGTERM)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep sweeping until stopped")
        parser.add_argument(
            "--interval", type=float, default=3600, help="seconds between passes (default 3600)"
        )
        parser.add_argument("--batch", type=int, default=200, help="complaints per transaction")

    def handle(self, *args, loop: bool, interval: float, batch: int, **options):
        if interval <= 0 or batch <= 0:
            raise CommandError("--interval and --batch must be above 0.")
        if not loop:
            self.stdout.write(f"Retention: {retention_sweep(batch=batch)}")
            return
        run_passes(
            name="Retention",
            one_pass=lambda: retention_sweep(batch=batch),
            interval=interval,
            logger=logger,
            worth_logging=lambda c: bool(c.complaints),
        )
