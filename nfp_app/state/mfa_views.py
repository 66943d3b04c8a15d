"""The 2FA status and the secrets of a set-up, server-only, and the computed vars that show them.

Each computed var shows its secret only while `_mine()` holds: this connection checked the
session the secret was made for. The QR code becomes an image data URL (never markup), and the
recovery codes a plain-text file.
"""

from __future__ import annotations

import base64
import datetime as dt

import reflex as rx

from nfp_app.models import utcnow
from nfp_app.services.mfa_enrolment import REAUTH_WINDOW

RECOVERY_CODES_FILE = "nfp_app-recovery-codes.txt"


def svg_data_url(svg: str) -> str:
    """An SVG drawing as a data URL for an <img>: shown as a picture, never run as markup."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def codes_data_url(codes: list[str]) -> str:
    """The recovery codes as a plain-text file, one a line, for a download link."""
    text = "nfp_app recovery codes (each works once):\n\n" + "\n".join(codes) + "\n"
    return "data:text/plain;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


class MfaViews(rx.State, mixin=True):
    """2FA on or off, the new secret, its QR code and fresh recovery codes, for one connection
    only."""

    _enabled: bool = False
    _codes_left: int = 0

    _secret: str = ""
    _qr_svg: str = ""
    _codes: list[str] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    # "" (nothing open), "password" (confirm it first) or "code" (scan, then type a code).
    setup_step: str = ""
    # When this session last confirmed its password in the section (re-authentication).
    _reauth_at: dt.datetime | None = None

    def _mine(self) -> bool:
        """Whether this connection may see what was loaded (the state using this decides)."""
        return False

    def _forget_secrets(self) -> None:
        self._secret = self._qr_svg = ""
        self._codes = []
        self.setup_step = ""

    def _recent_reauth(self) -> dt.datetime | None:
        at = self._reauth_at
        return at if at is not None and utcnow() - at <= REAUTH_WINDOW else None

    @rx.var(cache=False)
    def mfa_enabled(self) -> bool:
        """Whether 2FA is on for the signed-in user."""
        return self._enabled and self._mine()

    @rx.var(cache=False)
    def codes_left(self) -> int:
        """How many unused recovery codes the user has."""
        return self._codes_left if self._mine() else 0

    @rx.var(cache=False)
    def setup_secret(self) -> str:
        """The new secret in base32, while the set-up waits for its code."""
        return self._secret if self._mine() else ""

    @rx.var(cache=False)
    def setup_qr(self) -> str:
        """The QR code of the new secret, as an SVG data URL."""
        return svg_data_url(self._qr_svg) if self._mine() and self._qr_svg else ""

    @rx.var(cache=False)
    def recovery_codes(self) -> list[str]:
        """Recovery codes just made, shown once."""
        return self._codes if self._mine() else []

    @rx.var(cache=False)
    def codes_text(self) -> str:
        """The codes just made, one a line, for copying."""
        return "\n".join(self._codes) + "\n" if self._mine() and self._codes else ""

    @rx.var(cache=False)
    def codes_download(self) -> str:
        """The codes just made as a .txt data URL, for the download button."""
        return codes_data_url(self._codes) if self._mine() and self._codes else ""
