"""Session secrets and HS256 access tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import jwt

ALGORITHM = "HS256"
# Our secrets and codes are 43 characters; text far longer is none of ours and is not hashed.
MAX_SECRET_TEXT = 512
REQUIRED_CLAIMS = ("sub", "sid", "iat", "exp", "jti")


class InvalidTokenError(ValueError):
    """The token is expired, tampered with, malformed or missing a claim."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    """The verified claims of an access token."""

    subject: str
    session_id: int
    issued_at: dt.datetime
    expires_at: dt.datetime
    token_id: str


def new_secret() -> str:
    """A fresh random secret of 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The SHA-256 hex digest under which a secret is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()


def encode_access_token(
    *, subject: str, session_id: int, key: str, lifetime: dt.timedelta, now: dt.datetime
) -> str:
    """Sign an access token bound to a server-side session."""
    claims = {
        "sub": subject,
        "sid": session_id,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def decode_access_token(token: str, *, key: str) -> AccessClaims:
    """Verify signature, algorithm, expiry and required claims."""
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": list(REQUIRED_CLAIMS)}
        )
    except jwt.PyJWTError as error:
        raise InvalidTokenError(str(error)) from error
    subject, session_id, token_id = claims["sub"], claims["sid"], claims["jti"]
    if (
        not isinstance(subject, str)
        or not isinstance(session_id, int)
        or isinstance(session_id, bool)
    ):
        raise InvalidTokenError("claims have the wrong types")
    if not isinstance(token_id, str):
        raise InvalidTokenError("claims have the wrong types")
    try:
        issued_at = dt.datetime.fromtimestamp(claims["iat"], dt.UTC)
        expires_at = dt.datetime.fromtimestamp(claims["exp"], dt.UTC)
    except (OverflowError, OSError, ValueError) as error:
        # PyJWT accepts any number; a timestamp past year 9999 must still fail as a bad token.
        raise InvalidTokenError("claims have the wrong types") from error
    return AccessClaims(
        subject=subject,
        session_id=session_id,
        issued_at=issued_at,
        expires_at=expires_at,
        token_id=token_id,
    )
