"""Password hashing: bcrypt_sha256 for new hashes, legacy bcrypt upgraded on sign-in."""

from __future__ import annotations

import bcrypt
import pytest

from nfp_app.security import passwords

ROUNDS = 4


def _legacy_hash(password: bytes) -> str:
    return bcrypt.hashpw(password, bcrypt.gensalt(ROUNDS)).decode()


def test_new_hashes_are_bcrypt_sha256() -> None:
    stored = passwords.hash_password("correct horse battery", rounds=ROUNDS)
    assert stored.startswith("$bcrypt-sha256$")
    assert passwords.verify_password("correct horse battery", stored, rounds=ROUNDS) == (True, None)


def test_hashes_are_salted() -> None:
    first = passwords.hash_password("correct horse battery", rounds=ROUNDS)
    second = passwords.hash_password("correct horse battery", rounds=ROUNDS)
    assert first != second


def test_bytes_past_72_count() -> None:
    prefix = "p" * 72
    stored = passwords.hash_password(prefix + "A", rounds=ROUNDS)
    assert passwords.verify_password(prefix + "A", stored, rounds=ROUNDS)[0]
    assert passwords.verify_password(prefix + "B", stored, rounds=ROUNDS) == (False, None)
    assert passwords.verify_password(prefix, stored, rounds=ROUNDS) == (False, None)


def test_wrong_password_fails() -> None:
    stored = passwords.hash_password("correct horse battery", rounds=ROUNDS)
    assert passwords.verify_password("correct horse batterY", stored, rounds=ROUNDS) == (
        False,
        None,
    )


def test_legacy_bcrypt_verifies_and_is_replaced() -> None:
    stored = _legacy_hash(b"legacy password")
    assert stored.startswith("$2b$")
    valid, replacement = passwords.verify_password("legacy password", stored, rounds=ROUNDS)
    assert valid
    assert replacement is not None
    assert replacement.startswith("$bcrypt-sha256$")
    assert passwords.verify_password("legacy password", replacement, rounds=ROUNDS) == (True, None)


def test_legacy_bcrypt_wrong_password_fails() -> None:
    stored = _legacy_hash(b"legacy password")
    assert passwords.verify_password("legacy passworD", stored, rounds=ROUNDS) == (False, None)


def test_legacy_bcrypt_long_password_verifies_and_keeps_every_byte() -> None:
    password = "é" * 40  # 80 bytes: old bcrypt libraries hashed only the first 72
    stored = _legacy_hash(password.encode()[:72])
    valid, replacement = passwords.verify_password(password, stored, rounds=ROUNDS)
    assert valid
    assert replacement is not None
    assert passwords.verify_password(password, replacement, rounds=ROUNDS) == (True, None)
    assert passwords.verify_password(password[:36], replacement, rounds=ROUNDS) == (False, None)


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "garbage",
        "$2b$04$short",
        "$bcrypt-sha256$v=2,t=2b,r=04$xx$yy",
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        "plaintext-password",
    ],
)
def test_garbage_stored_hash_never_matches(stored: str) -> None:
    assert passwords.verify_password("plaintext-password", stored, rounds=ROUNDS) == (False, None)


@pytest.mark.parametrize("password", ["", "x" * 2000, "correct horse battery"])
def test_spend_dummy_verification_runs_one_bcrypt_at_the_configured_cost(
    password: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unknown user must cost one real bcrypt computation, like a known one (SEC-3)."""
    rounds = 5
    passwords.spend_dummy_verification("", rounds=rounds)  # makes the dummy hash, once
    costs: list[bytes] = []
    real_hashpw = bcrypt.hashpw

    def counting_hashpw(secret: bytes, salt: bytes) -> bytes:
        costs.append(salt[:7])
        return real_hashpw(secret, salt)

    monkeypatch.setattr(bcrypt, "hashpw", counting_hashpw)
    passwords.spend_dummy_verification(password, rounds=rounds)
    assert costs == [b"$2b$05$"]
