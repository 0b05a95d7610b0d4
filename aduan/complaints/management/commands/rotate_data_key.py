"""Re-encrypt the personal data held at rest with the newest key of ADUAN_DATA_KEYS."""

from django.core.management.base import BaseCommand
from django.db import transaction

from aduan.audit.services import audit_record
from aduan.complaints.models import Complaint
from aduan.lib.crypto import new_data_key

FIELDS = ("nik", "phone", "email")


class Command(BaseCommand):
    help = (
        "Re-encrypt every complaint's NIK, phone and e-mail with the newest key of "
        "ADUAN_DATA_KEYS (the first); afterwards the older keys may be removed. "
        "--new-key prints a fresh key to put in front of ADUAN_DATA_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", action="store_true", help="print a new key and change nothing"
        )
        parser.add_argument("--batch", type=int, default=500, help="complaints per transaction")

    def handle(self, *args, new_key: bool, batch: int, **options):
        if new_key:
            self.stdout.write(new_data_key())
            return
        rows = data_key_rotate(batch=batch)
        self.stdout.write(
            f"{rows} complaints re-encrypted with the newest key; the older keys may now be "
            "removed from ADUAN_DATA_KEYS."
        )


def data_key_rotate(*, batch: int = 500) -> int:
    """Read each row (any configured key decrypts it) and write it back (the newest key
    encrypts it), a batch at a time under row locks, so a concurrent erasure by the retention
    sweep is never overwritten with the old values. Returns the rows re-encrypted."""
    last, total = 0, 0
    while True:
        with transaction.atomic():
            rows = list(
                Complaint.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", *FIELDS)[:batch]
            )
            if not rows:
                break
            held = [row for row in rows if any(getattr(row, f) for f in FIELDS)]
            Complaint.objects.bulk_update(held, FIELDS)
            total += len(held)
            last = rows[-1].pk
    audit_record(action="data_key.rotated", data={"complaints": total})
    return total
