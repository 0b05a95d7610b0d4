"""Walk the audit chain: `manage.py audit_verify`.

Exit status: 0 the chain holds ("OK: N events"); 1 a broken link was found (printed on
standard error: the event's id, time and action, and why); 2 the log could not be read.
"""

from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone

from aduan.audit.services import HEAD_MISMATCH, audit_chain_check

BROKEN, UNREADABLE = 1, 2


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit 1 at the first broken link."

    def handle(self, *args, **options):
        try:
            count, broken = audit_chain_check()
        except DatabaseError as exc:
            self.stderr.write(f"ERROR: the audit log could not be read: {exc}")
            raise SystemExit(UNREADABLE) from None
        if broken is None:
            self.stdout.write(f"OK: {count} events")
            return
        event = broken.event
        if event is None:
            where = "the log is empty"
        else:
            at = timezone.localtime(event.at).isoformat(timespec="seconds")
            where = f"event {event.pk} at {at}, action {event.action}"
        verified = (
            f"all {count} events are linked"
            if broken.reason == HEAD_MISMATCH
            else f"the {count} events before it are intact"
        )
        self.stderr.write(f"BROKEN: {broken.reason}: {where}: {broken.detail} ({verified})")
        raise SystemExit(BROKEN)
