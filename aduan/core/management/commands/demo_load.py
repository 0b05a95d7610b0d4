from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aduan.core.demo import demo_load


class Command(BaseCommand):
    help = "Load the demo officials and sample complaints (demo mode only; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEMO:
            raise CommandError("Demo data is only loaded in demo mode: set ADUAN_DEMO=1.")
        created = demo_load()
        self.stdout.write(
            f"Demo data: created {' and '.join(created)}." if created else "Demo data present."
        )
