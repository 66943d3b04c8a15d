"""The 2FA status and the secrets of a set-up, server-only, and the computed vars that show them.

Each computed var shows its secret only while `_mine()` holds: this connection checked the
session the secret was made for. The secret, QR code and fresh recovery codes are kept sealed
(AES-GCM under the app's key), so a copy of the stored states (disk or Redis) does not hold them.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass, field

import reflex as rx

from nfp_app.infra.settings import get_settings
from nfp_app.models import utcnow
from nfp_app.security import secret_box
from nfp_app.services.mfa_enrolment import REAUTH_WINDOW

RECOVERY_CODES_FILE = "nfp_app-recovery-codes.txt"


SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'


def svg_data_url(svg: str) -> str:
    """An SVG drawing as a data URL for an <img>: shown as a picture, never run as markup."""
    # An inline <svg> element may leave out its namespace; a standalone SVG image may not.
    if SVG_NAMESPACE not in svg:
        svg = svg.replace("<svg", f"<svg {SVG_NAMESPACE}", 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def codes_data_url(codes: list[str]) -> str:
    """The recovery codes as a plain-text file, one a line, for a download link."""
    text = "nfp_app recovery codes (each works once):\n\n" + "\n".join(codes) + "\n"
    return "data:text/plain;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class Shown:
    """What the section shows once: a new secret and its QR code, or fresh recovery codes."""

    secret: str = ""
    qr_svg: str = ""
    codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SetupView:
    """What the browser shows once: the secret, the QR code as a data URL, or fresh codes."""

    secret: str = ""
    qr: str = ""
    codes: list[str] = field(default_factory=list)
    codes_text: str = ""
    codes_download: str = ""


def _key() -> bytes:
    settings = get_settings()
    master = settings.mfa_encryption_key or settings.secret_key
    return secret_box.derive_key(master, info="nfp_app account page 2fa v1")


class MfaViews(rx.State, mixin=True):
    """2FA on or off, the new secret, its QR code and fresh recovery codes, for one connection
    only."""

    _enabled: bool = False
    _codes_left: int = 0
    _sealed: str = ""
    # "" (nothing open), "password" (confirm it first) or "code" (scan, then type a code).
    setup_step: str = ""
    # When this session last confirmed its password in the section (re-authentication).
    _reauth_at: dt.datetime | None = None

    def _mine(self) -> bool:
        """Whether this connection may see what was loaded (the state using this decides)."""
        return False

    def _context(self) -> str:
        return f"account page session {self.router.session.client_token}"

    def _keep(self, shown: Shown) -> None:
        """Keep what to show, sealed; nothing at all when there is nothing to show."""
        empty = not (shown.secret or shown.codes)
        plain = json.dumps({"secret": shown.secret, "qr": shown.qr_svg, "codes": shown.codes})
        self._sealed = "" if empty else secret_box.seal(plain, key=_key(), context=self._context())

    def _shown(self) -> Shown:
        """What to show, for this connection only."""
        if not self._sealed or not self._mine():
            return Shown()
        try:
            plain = secret_box.open_sealed(self._sealed, key=_key(), context=self._context())
        except secret_box.SecretBoxError:
            return Shown()
        found = json.loads(plain)
        return Shown(secret=found["secret"], qr_svg=found["qr"], codes=list(found["codes"]))

    def _forget_secrets(self) -> None:
        self._sealed = ""
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
    def shown(self) -> SetupView:
        """The new secret and QR code, or fresh codes, for this connection only.

        One object, not strings: Reflex keeps the last value of a computed var in the stored
        state to skip unchanged deltas, a plain string as is but an object only as a digest.
        """
        found = self._shown()
        codes = found.codes
        return SetupView(
            secret=found.secret,
            qr=svg_data_url(found.qr_svg) if found.qr_svg else "",
            codes=codes,
            codes_text="\n".join(codes) + "\n" if codes else "",
            codes_download=codes_data_url(codes) if codes else "",
        )
