"""Run the SLA sweep: one pass, or a pass every --interval seconds with --loop."""

import logging

from django.core.management.base import BaseCommand, CommandError

from aduan.lib.loop import run_passes
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
        run_passes(
            name="SLA sweep",
            one_pass=lambda: sla_sweep(batch=batch),
            interval=interval,
            logger=logger,
            worth_logging=lambda c: bool(c.reminded or c.overdue or c.withdrawn),
        )
