"""Register the public filings waiting as intakes: one pass, or a pass every --interval
seconds with --loop (aduan.complaints.intake)."""

import logging
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aduan.complaints.intake import CATCH_UP, intakes_pass, intakes_register, intakes_waiting
from aduan.complaints.models import Intake
from aduan.lib.loop import run_passes

logger = logging.getLogger("aduan.intake")


class Command(BaseCommand):
    help = (
        "Register the complaints filed as intakes, oldest first (agenda number, first "
        "step, notice, audit). One pass; --loop repeats it every --interval seconds until "
        "stopped. --status says how many wait; --retry-failed puts failed ones back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep registering until stopped")
        parser.add_argument(
            "--interval", type=float, default=1, help="seconds between passes (default 1)"
        )
        parser.add_argument(
            "--batch", type=int, default=10, help="intakes per transaction (default 10)"
        )
        parser.add_argument(
            "--share",
            type=float,
            default=0.02,
            help=(
                "with --loop, the most of the time spent registering while filings keep "
                "arriving (default 0.02: after each full batch it rests 49 times as long as "
                "it worked, so that the web requests keep the database and the processor); "
                "once they stop, or the oldest has waited --catch-up seconds, it registers "
                "what waits at full speed"
            ),
        )
        parser.add_argument(
            "--catch-up",
            type=float,
            default=CATCH_UP.total_seconds(),
            help=(
                "seconds the oldest waiting filing may wait before the worker stops giving "
                f"way (default {CATCH_UP.total_seconds():.0f})"
            ),
        )
        parser.add_argument("--status", action="store_true", help="how many wait, and failed")
        parser.add_argument(
            "--retry-failed", action="store_true", help="put the failed intakes back in line"
        )

    def handle(
        self, *args, loop, interval, batch, share, catch_up, status, retry_failed, **options
    ):
        if interval <= 0 or batch <= 0:
            raise CommandError("--interval and --batch must be above 0.")
        if not 0 < share <= 1:
            raise CommandError("--share must be above 0 and at most 1.")
        if catch_up < 0:
            raise CommandError("--catch-up must be 0 or more seconds.")
        if status:
            counts = intakes_waiting()
            self.stdout.write(
                f"Intakes: {counts['waiting']} waiting (the oldest {counts['oldest_seconds']} s), "
                f"{counts['failed']} failed"
            )
            for intake in Intake.objects.filter(failed_at__isnull=False).order_by("pk")[:20]:
                failed_at = timezone.localtime(intake.failed_at).isoformat(timespec="seconds")
                self.stdout.write(f"  {intake.tracking_code} {failed_at} {intake.error}")
            return
        if retry_failed:
            again = Intake.objects.filter(failed_at__isnull=False).update(failed_at=None, error="")
            self.stdout.write(f"Intakes put back in line: {again}")
            logger.info("intakes put back in line: %s", again)
            if not loop:
                return
        if not loop:
            total = 0
            while taken := intakes_register(limit=batch):
                total += taken
            self.stdout.write(f"Intakes registered: {total}")
            return
        run_passes(
            name="Intake",
            one_pass=lambda: intakes_pass(limit=batch, catch_up=timedelta(seconds=catch_up)),
            interval=interval,
            logger=logger,
            worth_logging=lambda done: done.taken > 0,
            again_at_once=lambda done: done.taken >= batch,
            share=share,
            giving_way=lambda done: done.giving_way,
        )
