"""Attachments held for the virus scan: scanned again once the scanner is back.

An attachment that arrived while the configured scanner (aduan.lib.virus) was down is
stored with scan_state "held": nobody may open it. attachments_rescan scans the held ones
again, releasing the clean ones (scan_state "clean") and quarantining the infected ones
("infected", kept for inspection, never served). Each row is claimed with a conditional
UPDATE (`... AND scan_state = 'held'`), so two passes at once decide it once, and each
decision is audited. `manage.py attachments_rescan` runs a pass (or a loop).
"""

import logging
from dataclasses import dataclass

from django.db import transaction

from aduan.audit.services import audit_record
from aduan.complaints.models import Attachment
from aduan.lib.virus import ScannerDown, scanner_configured, virus_scan

logger = logging.getLogger("aduan.virus")


@dataclass
class RescanCounts:
    released: int = 0
    quarantined: int = 0
    still_held: int = 0
    scanner_down: bool = False

    def __str__(self) -> str:
        text = (
            f"{self.released} released, {self.quarantined} quarantined, "
            f"{self.still_held} still held"
        )
        return text + (" (scanner down)" if self.scanner_down else "")


def attachments_rescan(*, batch: int = 50) -> RescanCounts:
    """Scan up to `batch` held attachments again, oldest first. Stops at the first sign
    that the scanner is down (those left stay held for the next pass)."""
    counts = RescanCounts()
    held = list(
        Attachment.objects.filter(scan_state=Attachment.ScanState.HELD).order_by("id")[:batch]
    )
    if not scanner_configured():
        counts.still_held, counts.scanner_down = len(held), True
        return counts
    for n, attachment in enumerate(held):
        try:
            with attachment.file.storage.open(attachment.file.name, "rb") as handle:
                content = handle.read()
        except (FileNotFoundError, ValueError):
            logger.error("Held attachment %s: its file is missing", attachment.pk)
            counts.still_held += 1
            continue
        try:
            signature = virus_scan(content)
        except ScannerDown as exc:
            logger.warning("Rescan stopped, scanner unavailable: %s", exc)
            counts.still_held += len(held) - n
            counts.scanner_down = True
            return counts
        _decide(attachment, signature, counts)
    return counts


def _decide(attachment: Attachment, signature: str | None, counts: RescanCounts) -> None:
    state = Attachment.ScanState.INFECTED if signature else Attachment.ScanState.CLEAN
    with transaction.atomic():
        claimed = Attachment.objects.filter(
            pk=attachment.pk, scan_state=Attachment.ScanState.HELD
        ).update(scan_state=state)
        if not claimed:  # decided by another pass meanwhile
            return
        audit_record(
            action="attachment.quarantined" if signature else "attachment.released",
            target=attachment,
            complaint_id=attachment.complaint_id,
            data={
                "name": attachment.original_name,
                "sha256": attachment.sha256,
                **({"signature": signature} if signature else {}),
            },
        )
    if signature:
        logger.warning("Attachment %s quarantined: %s", attachment.pk, signature)
        counts.quarantined += 1
    else:
        counts.released += 1
