"""Keys for personal identifiers: SSNs encrypted at rest, and keyed hashes to find them.

One master key (``PII_KEY``; embedded default generated once into var/) gives,
through HKDF, separate keys for encryption and for each kind of keyed hash, so a
hash can never be turned back into the plaintext without the key.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class UndecryptableValue(ValueError):
    """A value encrypted with another PII_KEY than the configured one (a plain message, never a traceback)."""


UNDECRYPTABLE_MESSAGE = (
    "An SSN in this database cannot be read with the configured PII_KEY: it was encrypted with another key. "
    "Start the HMIS with the key the database was written with (see README, \"Keys\")."
)


def derived_key(purpose: str) -> bytes:
    return derive(settings.PII_KEY, purpose)


@lru_cache(maxsize=32)
def derive(master: str, purpose: str) -> bytes:
    """A key for one purpose from a master key. Cached per master key and purpose, so a
    changed PII_KEY (tests, key rotation) never reuses the previous key's derivations."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"open-hmis", info=purpose.encode()).derive(master.encode())


def fingerprint(master: str | None = None) -> str:
    """Names a PII key without revealing it: HMAC-SHA256 of a constant under a key derived
    for this purpose only. Recorded in the database (hmis/keys.py) and in backup manifests."""
    key = derive(settings.PII_KEY if master is None else master, "key-fingerprint")
    return hmac.new(key, b"open-hmis PII_KEY fingerprint", hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    return _fernet_for(derived_key("ssn-encryption"))


@lru_cache(maxsize=4)
def _fernet_for(key: bytes) -> Fernet:
    # One Fernet per key, not per call: an export decrypts a million SSNs.
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableValue(UNDECRYPTABLE_MESSAGE) from None


def keyed_hash(purpose: str, value: str) -> str:
    if not value:
        return ""
    return hmac.new(derived_key(purpose), value.encode(), hashlib.sha256).hexdigest()
