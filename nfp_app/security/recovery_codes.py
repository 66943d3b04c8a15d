"""Recovery codes: ten single-use codes of 125 random bits, like "7hq2k-x9mfd-3nzvb-k0p4w-qe8ra".

Crockford's base32 alphabet has no i, l, o or u, so nothing is ambiguous when read aloud or
typed; input is forgiving (case, spaces, dashes, and o/i/l for 0/1). Only keyed hashes are
stored: with at least 112 bits a standard hash suffices (ASVS 5.0 6.5.2; below that it asks
for a salted password hash).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COUNT = 10
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
# 25 characters of 5 bits each: 125 bits per code.
LENGTH = 25
_GROUP = 5
_LOOKALIKES = str.maketrans({"o": "0", "i": "1", "l": "1"})


def new_code() -> str:
    """One fresh code, grouped in fives for reading: "abcde-fghjk-mnpqr-stvwx-yz012"."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[start : start + _GROUP] for start in range(0, LENGTH, _GROUP))


def new_codes() -> list[str]:
    """A fresh set of COUNT distinct codes."""
    codes: list[str] = []
    while len(codes) < COUNT:
        code = new_code()
        if code not in codes:
            codes.append(code)
    return codes


def normalise(typed: str) -> str | None:
    """The code's LENGTH characters, however it was typed; None when it cannot be one."""
    text = "".join(typed.split()).replace("-", "").lower().translate(_LOOKALIKES)
    if len(text) != LENGTH or any(char not in ALPHABET for char in text):
        return None
    return text


def digest(code: str, *, key: bytes) -> str:
    """The stored form of a (normalised) code: HMAC-SHA256 under a key from the secret key."""
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def looks_like_recovery_code(typed: str) -> bool:
    """Whether input is shaped like a recovery code rather than a 6-digit TOTP code."""
    return normalise(typed) is not None
