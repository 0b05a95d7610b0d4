"""The embedded default: each message is written to a file in the data folder and to the
console, so that a newcomer running `make run` sees what would be sent."""

import logging
import re

from django.conf import settings
from django.utils import timezone

from aduan.notify.channels.base import Channel, Outgoing

logger = logging.getLogger("aduan.notify")


class FileChannel(Channel):
    name = "file"
    idempotent = True  # the file is named by the idempotency key: a resend overwrites it

    def send(self, message: Outgoing) -> str:
        folder = settings.DATA_DIR / "outbox"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        safe_kind = re.sub(r"[^a-z0-9_-]", "", message.kind) or "pesan"
        path = folder / f"{stamp}-{safe_kind}-{message.idempotency_key}.txt"
        for old in folder.glob(f"*-{message.idempotency_key}.txt"):
            old.unlink()
        text = f"Kepada: {message.to}\nPerihal: {message.subject}\n\n{message.body}\n"
        path.write_text(text, encoding="utf-8")
        logger.info("Pesan (mode contoh, tidak dikirim) → %s: %s", message.to, message.subject)
        return path.name
