"""Secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from a master secret.

A sealed value is "v1:" + base64url(nonce + ciphertext + tag). The associated data binds it to
its row, so a sealed value copied into another account's row does not open there.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"
_NONCE_BYTES = 12
_KEY_BYTES = 32


class SecretBoxError(ValueError):
    """A sealed value does not open: the wrong key (SECRET_KEY or MFA_ENCRYPTION_KEY changed?),
    another row's value, or damaged data."""


def derive_key(master: str, *, info: str) -> bytes:
    """A 256-bit key for one purpose (`info`) from a master secret."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=None, info=info.encode())
    return hkdf.derive(master.encode())


def seal(plaintext: str, *, key: bytes, context: str) -> str:
    """Encrypt and authenticate `plaintext`, bound to `context` (e.g. the owner's row)."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), context.encode())
    return f"{VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def open_sealed(value: str, *, key: bytes, context: str) -> str:
    """The plaintext of a sealed value; SecretBoxError when it does not open."""
    version, _, body = value.partition(":")
    if version != VERSION:
        raise SecretBoxError(f"Unknown sealed-value version {version!r}.")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
        return AESGCM(key).decrypt(nonce, sealed, context.encode()).decode()
    except (InvalidTag, binascii.Error, ValueError) as error:
        raise SecretBoxError(
            "The stored secret cannot be decrypted: the encryption key (MFA_ENCRYPTION_KEY, "
            "else SECRET_KEY) differs from the one it was sealed with, or the data is damaged."
        ) from error
