"""Time-based one-time passwords (RFC 6238): 30-second steps, 6 digits, HMAC-SHA-1, as
every authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis)
reads them from an otpauth:// QR code. No Django here."""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
# Codes of the step before and after the current one are accepted too (clock drift).
DRIFT_STEPS = 1


def new_secret() -> str:
    """160 random bits (RFC 4226's recommended length), in base32 as apps expect it."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def time_step(at: float) -> int:
    return int(at // STEP_SECONDS)


def code_for_step(secret: str, step: int) -> str:
    """The HOTP value (RFC 4226) of the counter `step`."""
    digest = hmac.new(_key(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def matching_step(secret: str, code: str, *, at: float, after_step: int = 0) -> int | None:
    """The time step within the drift window whose code is `code`, later than `after_step`
    (the last step accepted: a code is good once), or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = time_step(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(code_for_step(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}", safe=":@")
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"
