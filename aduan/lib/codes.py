"""Tracking codes and secrets, in Crockford's base-32 alphabet (no I, L, O, U).

The code (ADU-XXXX-XXXX, 40 random bits) is short, to read aloud and type on a phone; it is
a reference, not a key: Open311 lists it, a letter and a message carry it. What opens a
complaint is the secret kept with it: 28 characters from `secrets`, 140 bits, written in
groups of four (XXXX-XXXX-...), carried whole by the link the citizen is given. Secrets of
8 characters (40 bits) were given before; they keep opening their complaints (the
tracking lookups are rate-limited, aduan.lib.ratelimit). `generator` can be replaced in
tests.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOK_ALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})  # what people type for 0 and 1


def _random_chars(count: int) -> str:
    """`count` characters of ALPHABET, each 5 random bits of one draw from `secrets` (as
    uniform as secrets.choice, which drew once a character: a tenth of a filing's time)."""
    bits = secrets.randbits(5 * count)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(count))


def _random_code() -> str:
    chars = _random_chars(8)
    return f"ADU-{chars[:4]}-{chars[4:]}"


generator = _random_code


def new_tracking_code() -> str:
    return generator()


def normalise_tracking_code(raw: str) -> str:
    """Accept what people type: lower case, spaces, O for 0, I/L for 1, missing dashes."""
    text = "".join(filter(str.isalnum, raw.upper())).translate(_LOOK_ALIKE)
    if text.startswith("ADU"):
        text = text[3:]
    if len(text) != 8:
        return raw.strip().upper()
    return f"ADU-{text[:4]}-{text[4:]}"


SECRET_LENGTH = 28  # 28 characters of 5 bits: 140 bits
LEGACY_SECRET_LENGTH = 8  # the secrets given before: 40 bits
SECRET_GROUP = 4


def new_tracking_secret() -> str:
    """The secret the citizen keeps with the tracking code: 140 random bits from
    `secrets`, grouped for reading (the dashes are not part of it)."""
    chars = _random_chars(SECRET_LENGTH)
    return "-".join(chars[i : i + SECRET_GROUP] for i in range(0, SECRET_LENGTH, SECRET_GROUP))


def normalise_tracking_secret(raw: str) -> str:
    """Accept what people type or paste: lower case, spaces, dashes, O for 0, I/L for 1."""
    return "".join(filter(str.isalnum, (raw or "").upper())).translate(_LOOK_ALIKE)


def tracking_digest(code: str, secret: str) -> str:
    """What is stored instead of the secret: an HMAC keyed by the site's SECRET_KEY, of the
    secret as normalised (so the grouping dashes do not count)."""
    from django.utils.crypto import salted_hmac

    secret = normalise_tracking_secret(secret)
    return salted_hmac("aduan.tracking", f"{code}:{secret}", algorithm="sha256").hexdigest()


def tracking_matches(code: str, secret: str, digest: str) -> bool:
    from django.utils.crypto import constant_time_compare

    return bool(digest) and constant_time_compare(tracking_digest(code, secret), digest)
