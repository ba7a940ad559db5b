"""Keys for personal identifiers: SSNs encrypted at rest, and keyed hashes to find them.

One master key (``PII_KEY``; embedded default generated once into var/) gives,
through HKDF, separate keys for encryption and for each kind of keyed hash, so a
hash can never be turned back into the plaintext without the key.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=16)
def derived_key(purpose: str) -> bytes:
    master = settings.PII_KEY.encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"open-hmis", info=purpose.encode()).derive(master)


def _fernet() -> Fernet:
    return _fernet_for(derived_key("ssn-encryption"))


@lru_cache(maxsize=4)
def _fernet_for(key: bytes) -> Fernet:
    # One Fernet per key, not per call: an export decrypts a million SSNs.
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def keyed_hash(purpose: str, value: str) -> str:
    if not value:
        return ""
    return hmac.new(derived_key(purpose), value.encode(), hashlib.sha256).hexdigest()
