"""The data URLs of the 2FA set-up: a standalone SVG image, and the recovery codes file."""

from __future__ import annotations

import base64

from nfp_app.security import totp
from nfp_app.state.mfa_views import SVG_NAMESPACE, codes_data_url, svg_data_url


def _decoded(url: str, prefix: str) -> str:
    assert url.startswith(prefix)
    return base64.b64decode(url[len(prefix) :]).decode("utf-8")


def test_the_qr_code_is_a_standalone_svg_image() -> None:
    svg = totp.qr_svg("otpauth://totp/app:someone?secret=JBSWY3DPEHPK3PXP&issuer=app")
    drawn = _decoded(svg_data_url(svg), "data:image/svg+xml;base64,")
    # Without its namespace a browser shows an SVG file as a broken image.
    assert drawn.startswith(f"<svg {SVG_NAMESPACE}")
    assert drawn.count(SVG_NAMESPACE) == 1
    # Already there: not added twice.
    assert svg_data_url(drawn) == svg_data_url(svg)


def test_the_codes_file_has_one_code_a_line() -> None:
    codes = [f"abcde-{n:05d}" for n in range(10)]
    text = _decoded(codes_data_url(codes), "data:text/plain;base64,")
    assert text.splitlines()[-10:] == codes
    assert text.endswith("\n")
