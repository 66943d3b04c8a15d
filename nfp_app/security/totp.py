"""TOTP (RFC 6238) as every authenticator app does it: 30 s steps, 6 digits, HMAC-SHA1.

Pure functions: the caller stores the last accepted step and passes it back, so a code (or an
older one) is accepted at most once.
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp
import segno
from pyotp.hotp import HOTP
from pyotp.totp import TOTP

ISSUER = "nfp_app"
STEP_SECONDS = 30
DIGITS = 6
# Steps of clock drift allowed either way: the previous, current and next code all match.
DRIFT_STEPS = 1
# 32 base32 characters are 160 bits, the key size RFC 4226 recommends for HMAC-SHA1.
SECRET_LENGTH = 32


def new_secret() -> str:
    """A fresh random secret of 160 bits, in base32 as apps expect it."""
    return pyotp.random_base32(length=SECRET_LENGTH)


def provisioning_uri(secret: str, *, username: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as an inline SVG element, drawn here (no outside service)."""
    code = segno.make(uri, error="m")
    return code.svg_inline(scale=4, dark="#000", light="#fff", title="QR code for your app")


def step_at(now: dt.datetime) -> int:
    """The time step (counter) that `now` falls in."""
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The code of one time step."""
    return HOTP(secret, digits=DIGITS).at(step)


def normalise_code(code: str) -> str | None:
    """The 6 digits of a typed code (spaces and dashes dropped), or None if it is not one."""
    digits = "".join(code.split()).replace("-", "")
    if len(digits) != DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def match_step(secret: str, code: str, *, now: dt.datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to, within the drift and after `last_step`; else None.

    A step at or before `last_step` is refused: that code, or an older one, was used already.
    """
    typed = normalise_code(code)
    if typed is None:
        return None
    current = step_at(now)
    matched: int | None = None
    # Every candidate is compared, so the time taken does not tell which step matched.
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), typed) and matched is None:
            matched = step
    if matched is None or (last_step is not None and matched <= last_step):
        return None
    return matched
