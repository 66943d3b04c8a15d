"""Password hashing with passlib: bcrypt_sha256 for new hashes, plain bcrypt still verifies."""

from __future__ import annotations

import functools

from passlib.context import CryptContext


@functools.cache
def _context(rounds: int) -> CryptContext:
    return CryptContext(
        schemes=["bcrypt_sha256", "bcrypt"],
        default="bcrypt_sha256",
        deprecated=["bcrypt"],
        bcrypt_sha256__rounds=rounds,
        bcrypt__rounds=rounds,
    )


def hash_password(password: str, *, rounds: int) -> str:
    """Hash a password for storage; bcrypt_sha256 keeps every byte past 72."""
    return _context(rounds).hash(password)


# Plain bcrypt only ever saw the first 72 bytes of a password; bcrypt 5 refuses longer input.
_LEGACY_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")
_BCRYPT_MAX_BYTES = 72


def verify_password(password: str, stored_hash: str, *, rounds: int) -> tuple[bool, str | None]:
    """Check a password; on success also give a replacement when the stored hash is outdated."""
    try:
        if isinstance(stored_hash, str) and stored_hash.startswith(_LEGACY_BCRYPT_PREFIXES):
            legacy_secret = password.encode()[:_BCRYPT_MAX_BYTES]
            if not _context(rounds).verify(legacy_secret, stored_hash):
                return False, None
            # The replacement hashes the whole password, not the truncated legacy form.
            return True, hash_password(password, rounds=rounds)
        return _context(rounds).verify_and_update(password, stored_hash)
    except (ValueError, TypeError):
        # An unrecognised or corrupt stored hash never matches.
        return False, None


@functools.cache
def _dummy_hash(rounds: int) -> str:
    return hash_password("nfp-app timing equaliser", rounds=rounds)


def spend_dummy_verification(password: str, *, rounds: int) -> None:
    """Spend the time of one real verification, so unknown users cost the same as known ones."""
    _context(rounds).verify(password, _dummy_hash(rounds))
