"""TOTP against RFC 6238 (SHA-1 test vectors), with the drift and replay rules."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from pyotp.totp import TOTP

from nfp_app.security import totp

# RFC 6238 appendix B: the SHA-1 seed, and the published 8-digit codes cut to 6 digits.
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


def _at(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@pytest.mark.parametrize(("seconds", "published"), RFC_VECTORS)
def test_rfc6238_sha1_vectors(seconds: int, published: str) -> None:
    six = published[-6:]
    step = seconds // 30
    assert totp.code_at(RFC_SECRET, step) == six
    assert totp.match_step(RFC_SECRET, six, now=_at(seconds), last_step=None) == step


def test_one_step_of_drift_either_way_and_no_more() -> None:
    now = _at(1234567890)
    step = totp.step_at(now)
    for offset in (-1, 0, 1):
        code = totp.code_at(RFC_SECRET, step + offset)
        assert totp.match_step(RFC_SECRET, code, now=now, last_step=None) == step + offset
    for offset in (-2, 2):
        code = totp.code_at(RFC_SECRET, step + offset)
        assert totp.match_step(RFC_SECRET, code, now=now, last_step=None) is None


def test_a_used_step_and_older_ones_are_refused() -> None:
    now = _at(1234567890)
    step = totp.step_at(now)
    current = totp.code_at(RFC_SECRET, step)
    assert totp.match_step(RFC_SECRET, current, now=now, last_step=step - 1) == step
    assert totp.match_step(RFC_SECRET, current, now=now, last_step=step) is None
    previous = totp.code_at(RFC_SECRET, step - 1)
    assert totp.match_step(RFC_SECRET, previous, now=now, last_step=step) is None
    following = totp.code_at(RFC_SECRET, step + 1)
    assert totp.match_step(RFC_SECRET, following, now=now, last_step=step) == step + 1


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "１２３４５６", "12 34 5"])
def test_malformed_codes_never_match(typed: str) -> None:
    assert totp.normalise_code(typed) is None
    assert totp.match_step(RFC_SECRET, typed, now=_at(59), last_step=None) is None


def test_spaces_in_a_code_are_ignored() -> None:
    code = totp.code_at(RFC_SECRET, 1)
    spaced = f" {code[:3]} {code[3:]} "
    assert totp.match_step(RFC_SECRET, spaced, now=_at(59), last_step=None) == 1


def test_new_secrets_are_160_bit_base32_and_work_with_pyotp() -> None:
    secret = totp.new_secret()
    assert len(base64.b32decode(secret)) == 20
    assert secret != totp.new_secret()
    now = dt.datetime.now(dt.UTC)
    assert totp.match_step(secret, TOTP(secret).now(), now=now, last_step=None) is not None


def test_provisioning_uri_names_the_app_and_the_account() -> None:
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", username="alice")
    assert uri.startswith("otpauth://totp/nfp_app:alice?")
    assert "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in uri
    assert "issuer=nfp_app" in uri


def test_qr_code_is_an_inline_svg_drawn_locally() -> None:
    svg = totp.qr_svg(
        "otpauth://totp/nfp_app:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=nfp_app"
    )
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
