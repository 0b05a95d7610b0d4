"""Secrets kept at rest encrypted: the officials' TOTP secrets.

Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) with a key derived from
SECRET_KEY by HKDF-SHA256 for this purpose alone. Changing SECRET_KEY makes the stored
secrets unreadable: the officials then enrol their authenticator again (an administrator
removes the old one in the admin). Recovery codes are not encrypted but hashed (HMAC-SHA256
with another key derived the same way): they are only ever compared.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=8)
def _derive(secret_key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"aduan.accounts", info=purpose).derive(
        secret_key.encode()
    )


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(settings.SECRET_KEY, b"totp-secret")))


def seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def unseal(token: str) -> str:
    """The clear value; raises cryptography.fernet.InvalidToken when SECRET_KEY changed."""
    return _fernet().decrypt(token.encode()).decode()


def code_digest(code: str) -> str:
    """The keyed hash a recovery code is stored and looked up as."""
    key = _derive(settings.SECRET_KEY, b"recovery-code")
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
