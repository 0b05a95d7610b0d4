"""Fill the database with sample complaints: `manage.py seed_complaints --total N`.

Tops the database up to N complaints in all (run it with 100000, then with 1000000, and it
adds 900,000), each with its history through the SOP, for benchmarks and demonstrations
(aduan.core.seeding). Refused unless the installation is a demo, a development or a test
one, or --yes-on-this-database is given.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from aduan.core.seeding import BATCH, PER_DAY, SeedRefused, complaints_seed


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Top the database up to --total complaints with realistic sample complaints and "
        "their whole history (steps, drafts, answers, letters, ratings, audit events)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--total", type=int, required=True, help="complaints in the database afterwards"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--open",
            type=int,
            default=None,
            dest="still_open",
            help="the newest seeded complaints still open (default: a weekday's worth)",
        )
        parser.add_argument(
            "--batch",
            type=_positive,
            default=BATCH,
            help=f"complaints written per transaction ({BATCH:,})",
        )
        parser.add_argument(
            "--per-day",
            type=_positive,
            default=PER_DAY,
            help=f"complaints the office receives a weekday ({PER_DAY:,}); the first run sets "
            "it (and --seed) for every later one",
        )
        parser.add_argument(
            "--yes-on-this-database",
            action="store_true",
            help="write sample complaints even outside demo, debug and test installations",
        )

    def handle(self, *args, **options):
        name = connection.settings_dict["NAME"]
        if not (
            options["yes_on_this_database"] or settings.DEBUG or settings.DEMO or settings.TESTING
        ):
            raise CommandError(
                f"seed_complaints writes sample complaints into the database {name}: fake "
                "citizens, steps, answers, letters and audit events that cannot be removed "
                "again (the audit log is append-only). Run it on a demo or throwaway "
                "database (ADUAN_DEMO=1 or DEBUG=1), or add --yes-on-this-database if this "
                "is one."
            )
        if options["total"] < 0:
            raise CommandError("--total must be 0 or more.")
        if options["still_open"] is not None and options["still_open"] < 0:
            raise CommandError("--open must be 0 or more.")
        verbose = options["verbosity"] > 0

        def progress(added: int, need: int, seconds: float) -> None:
            if verbose:
                rate = added / seconds if seconds else 0
                self.stdout.write(
                    f"  {added:,} of {need:,} complaints added ({seconds:.0f} s, {rate:,.0f}/s)"
                )

        try:
            report = complaints_seed(
                total=options["total"],
                seed=options["seed"],
                still_open=options["still_open"],
                batch=options["batch"],
                per_day=options["per_day"],
                progress=progress,
            )
        except SeedRefused as exc:
            raise CommandError(str(exc)) from None
        if report.added == 0:
            self.stdout.write(
                f"The database already has {report.existing:,} complaints: nothing to add."
            )
            return
        self.stdout.write(
            f"Added {report.added:,} sample complaints ({report.existing + report.added:,} in "
            f"all) in {report.seconds:.0f} s: an office of {report.per_day:,} complaints a "
            f"weekday, the newest received before {report.anchor:%Y-%m-%d %H:%M}."
        )
        # Fresh planner statistics, as after any bulk load: without them SQLite may read a
        # large inbox by another index (seconds instead of milliseconds).
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(
            f"Planner statistics refreshed (ANALYZE) in {time.perf_counter() - started:.0f} s."
        )
