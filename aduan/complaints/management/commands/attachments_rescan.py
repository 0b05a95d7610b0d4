"""Scan again the attachments held while the virus scanner was down: one pass, or a pass
every --interval seconds with --loop."""

import logging

from django.core.management.base import BaseCommand, CommandError

from aduan.complaints.scanning import attachments_rescan
from aduan.lib.loop import run_passes

logger = logging.getLogger("aduan.virus")


class Command(BaseCommand):
    help = (
        "Scan the attachments held for the virus scan (the scanner was down when they "
        "arrived): release the clean ones, quarantine the infected ones. One pass; --loop "
        "repeats it every --interval seconds until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep scanning until stopped")
        parser.add_argument(
            "--interval", type=float, default=300, help="seconds between passes (default 300)"
        )
        parser.add_argument("--batch", type=int, default=50, help="attachments per pass")

    def handle(self, *args, loop: bool, interval: float, batch: int, **options):
        if interval <= 0 or batch <= 0:
            raise CommandError("--interval and --batch must be above 0.")
        if not loop:
            self.stdout.write(f"Attachments rescan: {attachments_rescan(batch=batch)}")
            return
        run_passes(
            name="Attachments rescan",
            one_pass=lambda: attachments_rescan(batch=batch),
            interval=interval,
            logger=logger,
            worth_logging=lambda c: bool(c.released or c.quarantined),
            again_at_once=lambda c: not c.scanner_down and c.released + c.quarantined >= batch,
        )
