"""Tracking codes: short, unguessable, easy to read aloud and type on a phone.

Crockford's base-32 alphabet (no I, L, O, U), grouped as ADU-XXXX-XXXX: 40 random bits.
`generator` can be replaced in tests.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _random_code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"ADU-{chars[:4]}-{chars[4:]}"


generator = _random_code


def new_tracking_code() -> str:
    return generator()


def normalise_tracking_code(raw: str) -> str:
    """Accept what people type: lower case, spaces, O for 0, I/L for 1, missing dashes."""
    text = "".join(ch for ch in raw.upper() if ch.isalnum())
    text = text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if text.startswith("ADU"):
        text = text[3:]
    if len(text) != 8:
        return raw.strip().upper()
    return f"ADU-{text[:4]}-{text[4:]}"


def new_tracking_secret() -> str:
    """Eight characters the citizen keeps with the tracking code (40 more random bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(8))


def normalise_tracking_secret(raw: str) -> str:
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    return text.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def tracking_digest(code: str, secret: str) -> str:
    """What is stored instead of the secret: an HMAC keyed by the site's SECRET_KEY."""
    from django.utils.crypto import salted_hmac

    return salted_hmac("aduan.tracking", f"{code}:{secret}", algorithm="sha256").hexdigest()


def tracking_matches(code: str, secret: str, digest: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return bool(digest) and constant_time_compare(tracking_digest(code, secret), digest)
