"""Access tokens: HS256 only, every required claim, and secrets stored as SHA-256 digests."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import time
from typing import Any

import jwt
import pytest

from nfp_app.security import tokens

KEY = "k" * 64  # long enough for HS512, so only the algorithm is wrong
LIFETIME = dt.timedelta(minutes=30)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _token(**overrides: Any) -> str:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "7",
        "sid": 42,
        "iat": now,
        "exp": now + 600,
        "jti": "abc123",
    }
    claims.update(overrides)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, KEY, algorithm="HS256")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64_json(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value).encode())


def test_round_trip() -> None:
    now = _now()
    token = tokens.encode_access_token(
        subject="7", session_id=42, key=KEY, lifetime=LIFETIME, now=now
    )
    claims = tokens.decode_access_token(token, key=KEY)
    assert claims.subject == "7"
    assert claims.session_id == 42
    assert claims.issued_at == now
    assert claims.expires_at == now + LIFETIME
    assert len(claims.token_id) >= 16
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_token_ids_are_unique() -> None:
    now = _now()
    first, second = (
        tokens.encode_access_token(subject="7", session_id=1, key=KEY, lifetime=LIFETIME, now=now)
        for _ in range(2)
    )
    assert first != second
    assert (
        tokens.decode_access_token(first, key=KEY).token_id
        != tokens.decode_access_token(second, key=KEY).token_id
    )


def test_expired_token_is_refused() -> None:
    issued = _now() - dt.timedelta(hours=2)
    token = tokens.encode_access_token(
        subject="7", session_id=42, key=KEY, lifetime=LIFETIME, now=issued
    )
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(token, key=KEY)


def test_tampered_payload_is_refused() -> None:
    header, _payload, signature = _token().split(".")
    forged = _b64_json(
        {"sub": "1", "sid": 1, "iat": int(time.time()), "exp": int(time.time()) + 600, "jti": "x"}
    )
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(f"{header}.{forged}.{signature}", key=KEY)


def test_tampered_signature_is_refused() -> None:
    header, payload, signature = _token().split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    bad = signature[:middle] + flipped + signature[middle + 1 :]
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(f"{header}.{payload}.{bad}", key=KEY)


@pytest.mark.parametrize("token", ["", "not-a-token", "a.b.c", "a.b"])
def test_malformed_token_is_refused(token: str) -> None:
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(token, key=KEY)


def test_alg_none_is_refused() -> None:
    _header, payload, _signature = _token().split(".")
    for alg in ("none", "None", "NONE"):
        unsigned = f"{_b64_json({'alg': alg, 'typ': 'JWT'})}.{payload}."
        with pytest.raises(tokens.InvalidTokenError):
            tokens.decode_access_token(unsigned, key=KEY)


@pytest.mark.parametrize("algorithm", ["HS384", "HS512"])
def test_other_algorithms_are_refused(algorithm: str) -> None:
    now = int(time.time())
    claims = {"sub": "7", "sid": 42, "iat": now, "exp": now + 600, "jti": "x"}
    token = jwt.encode(claims, KEY, algorithm=algorithm)
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(token, key=KEY)


def test_wrong_key_is_refused() -> None:
    token = tokens.encode_access_token(
        subject="7", session_id=42, key=KEY, lifetime=LIFETIME, now=_now()
    )
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(token, key="z" * 48)


@pytest.mark.parametrize("claim", tokens.REQUIRED_CLAIMS)
def test_missing_claim_is_refused(claim: str) -> None:
    now = int(time.time())
    claims: dict[str, Any] = {"sub": "7", "sid": 42, "iat": now, "exp": now + 600, "jti": "x"}
    del claims[claim]
    token = jwt.encode(claims, KEY, algorithm="HS256")
    with pytest.raises(tokens.InvalidTokenError, match=claim):
        tokens.decode_access_token(token, key=KEY)


@pytest.mark.parametrize(
    "overrides",
    [
        {"sub": 7},
        {"sub": ["7"]},
        {"sid": "42"},
        {"sid": 42.0},
        {"sid": True},
        {"sid": {"id": 42}},
        {"jti": 5},
        {"iat": "yesterday"},
        {"exp": "tomorrow"},
        {"exp": 10**20},
        {"exp": 1e300},
    ],
    ids=lambda overrides: "-".join(f"{k}={v!r}"[:24] for k, v in overrides.items()),
)
def test_wrong_claim_types_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(tokens.InvalidTokenError):
        tokens.decode_access_token(_token(**overrides), key=KEY)


def test_digest_is_sha256_hex() -> None:
    assert tokens.digest("secret") == hashlib.sha256(b"secret").hexdigest()
    assert len(tokens.digest("x")) == 64
    assert tokens.digest("a") != tokens.digest("b")


def test_new_secret_has_at_least_256_bits() -> None:
    secret = tokens.new_secret()
    raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    assert len(raw) * 8 >= 256
    assert len({tokens.new_secret() for _ in range(100)}) == 100
