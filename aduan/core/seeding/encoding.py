"""Values written as the services write them: tracking codes and digests, the audit
log's JSON, the answer letter's content hash."""

import hashlib
import hmac
import json

from django.conf import settings

from aduan.lib.codes import ALPHABET, normalise_tracking_secret


def code_of(arrival: int) -> str:
    """A seeded complaint's tracking code: SMP- and its arrival index in base 32 (never
    an ADU- code the office gives out)."""
    chars = "".join(ALPHABET[(arrival >> (5 * i)) & 31] for i in range(7, -1, -1))
    return f"SMP-{chars[:4]}-{chars[4:]}"


def tracking_digester(secret: str):
    """aduan.lib.codes.tracking_digest for one secret, its key derived once."""
    key = hashlib.sha256(b"aduan.tracking" + settings.SECRET_KEY.encode()).digest()
    tail = f":{normalise_tracking_secret(secret)}".encode()

    def digest(code: str) -> str:
        return hmac.new(key, code.encode() + tail, hashlib.sha256).hexdigest()

    return digest


def jdump(data: dict) -> str:
    """JSON as the audit hash writes it (sorted keys, no spaces, UTF-8 as is)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_sha256(number: str, dated: str, subject: str, body: str) -> str:
    """aduan.papers.letters.content_hash, on the date as text."""
    payload = json.dumps([number, dated, subject, body], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
