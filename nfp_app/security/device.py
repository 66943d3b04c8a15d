"""Device cookies (OWASP's device-cookie pattern): proof that this browser signed in before.

A browser that once signed in to an account keeps a signed token naming the account and a
random device id. Its failed sign-ins are counted apart from everyone else's, so an attacker's
failures cannot lock the owner out of their own browser.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import jwt

ALGORITHM = "HS256"
LIFETIME = dt.timedelta(days=365)
_TYPE = "device"
# Device tokens are signed with a key of their own, so no access token can pass for one.
_PURPOSE = b"nfp_app device cookie v1"


def _key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), _PURPOSE, hashlib.sha256).digest()


def issue_device_token(*, account_key: str, secret_key: str, now: dt.datetime) -> str:
    """A new device token for the account (its normalised username) and a new device id."""
    claims = {
        "typ": _TYPE,
        "acct": account_key,
        "dev": secrets.token_urlsafe(16),
        "iat": int(now.timestamp()),
        "exp": int((now + LIFETIME).timestamp()),
    }
    return jwt.encode(claims, _key(secret_key), algorithm=ALGORITHM)


def device_id(token: str, *, account_key: str, secret_key: str, now: dt.datetime) -> str | None:
    """The device id when the token is valid at `now` and was issued for this account."""
    if not token:
        return None
    try:
        claims = jwt.decode(
            token,
            _key(secret_key),
            algorithms=[ALGORITHM],
            # Expiry is checked against `now` below, so the service's clock is the only one.
            options={
                "require": ["typ", "acct", "dev", "exp"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    except (jwt.PyJWTError, OverflowError, ValueError):
        return None
    device, expires = claims.get("dev"), claims.get("exp")
    if claims.get("typ") != _TYPE or claims.get("acct") != account_key:
        return None
    if not isinstance(expires, int) or isinstance(expires, bool) or expires <= now.timestamp():
        return None
    if not isinstance(device, str) or not 0 < len(device) <= 64:
        return None
    return device
