"""Personal data encrypted at rest: the keys, the cipher and a model field that uses them.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under a MultiFernet of the keys
in ADUAN_DATA_KEYS (settings.DATA_KEYS, newest first): the newest encrypts, every key
decrypts, so a key is rotated by putting a new one in front, running
`manage.py rotate_data_key` (every row re-encrypted with the newest key), then removing
the old one (docs/personal-data.md).

Without ADUAN_DATA_KEYS (the demo, `make run`) the key is derived from SECRET_KEY with
HKDF-SHA256. That derived key is always tried last when reading, so moving from it to
configured keys is: set ADUAN_DATA_KEYS, run rotate_data_key. A deploy check warns when
ADUAN_DATA_KEYS is not set outside DEBUG and demo mode.

Ciphertext is random (a new IV each time): an encrypted column cannot be searched or
compared. The field refuses lookups other than "is it empty". Nothing searches these
values today; one that must be found by equality would need a keyed blind index (an
HMAC-SHA256 with a key derived from the data key) stored beside it.
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models.lookups import Exact, IsNull

_DERIVED_INFO = b"aduan.data-key.v1"


class DataKeyError(ImproperlyConfigured):
    """A stored value that none of the configured keys decrypts."""


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def derived_key(secret_key: str) -> bytes:
    """The Fernet key derived from SECRET_KEY (the demo's key, and the last one tried)."""
    return base64.urlsafe_b64encode(_hkdf(secret_key.encode(), _DERIVED_INFO))


def new_data_key() -> str:
    """A fresh random key for ADUAN_DATA_KEYS."""
    return Fernet.generate_key().decode()


@functools.lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    fernets = [Fernet(key.encode()) for key in keys]
    fernets.append(Fernet(derived_key(secret_key)))
    return MultiFernet(fernets)


def cipher() -> MultiFernet:
    """The keys in force: ADUAN_DATA_KEYS newest first, then the key derived from SECRET_KEY."""
    return _cipher(tuple(settings.DATA_KEYS), settings.SECRET_KEY)


def data_encrypt(text: str) -> str:
    return cipher().encrypt(text.encode()).decode()


def data_decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode()).decode()
    except InvalidToken:
        raise DataKeyError(
            "Stored personal data cannot be decrypted with ADUAN_DATA_KEYS or the key derived "
            "from SECRET_KEY: the key that encrypted it was removed too early, or SECRET_KEY "
            "changed. Put the old key back at the end of ADUAN_DATA_KEYS and run "
            "`python manage.py rotate_data_key` (docs/personal-data.md)."
        ) from None


def is_encrypted(value: str) -> bool:
    """Whether `value` is a token the keys in force decrypt (for migrations and rotation)."""
    try:
        cipher().decrypt(value.encode())
    except InvalidToken:
        return False
    return True


class _EmptyOnlyExact(Exact):
    """`field=""` (is it empty?) works; comparing with a value cannot, so it is refused."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with '' "
                "(use a blind index to find a value)."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored encrypted (aduan.lib.crypto.cipher), clear in Python.

    An empty value is stored empty (so "was it given?" needs no key). Only `field=""` and
    `field__isnull` lookups are allowed: ciphertext is random, a comparison never matches.
    """

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return data_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return data_encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return IsNull
        return None


@checks.register(checks.Tags.security, deploy=True)
def data_keys_check(app_configs=None, **kwargs):
    """`check --deploy`: personal data should be encrypted with keys of its own."""
    if settings.DATA_KEYS or settings.DEBUG or settings.DEMO:
        return []
    return [
        checks.Warning(
            "ADUAN_DATA_KEYS is not set: NIK, phone numbers and e-mail addresses are encrypted "
            "with a key derived from SECRET_KEY.",
            hint="Set ADUAN_DATA_KEYS to a key made by `python manage.py rotate_data_key "
            "--new-key`, then run `python manage.py rotate_data_key` (docs/personal-data.md).",
            id="aduan.crypto.W001",
        )
    ]
