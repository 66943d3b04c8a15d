"""The live strength hint of every form that sets a password (signup, reset, change)."""

from __future__ import annotations

import asyncio
import time

import reflex as rx

from nfp_app.infra.settings import get_settings
from nfp_app.security import policy, strength

RATE_DEBOUNCE_MS = 250
# A rating debounced just before the fields were cleared still arrives afterwards; it describes
# a password that is gone, so ratings this soon after a clear are dropped.
_STALE_RATING_SECONDS = RATE_DEBOUNCE_MS / 1000 + 0.25


class PasswordMeter(rx.State, mixin=True):
    """The hint's score and label; the password itself is never kept."""

    strength_score: int = 0
    strength_label: str = ""
    _cleared_at: float = 0.0

    @rx.event
    async def rate_password(self, value: str):
        """Update the strength hint (zxcvbn, off the event loop); the password is not kept."""
        if time.time() - self._cleared_at < _STALE_RATING_SECONDS:
            # Re-clear rather than ignore: the reply tells the page the hint stays empty.
            self.strength_score, self.strength_label = 0, ""
            return
        text = value[: policy.PASSWORD_MAX_LENGTH] if isinstance(value, str) else ""
        min_length = get_settings().password_min_length
        score, label = await asyncio.to_thread(
            strength.password_strength, text, min_length=min_length
        )
        self.strength_score, self.strength_label = score, label

    def _clear_passwords(self, *fields: str) -> list[rx.event.EventSpec]:
        """Empty the password fields and the hint that rated what was in them."""
        self.strength_score, self.strength_label = 0, ""
        self._cleared_at = time.time()
        return [rx.set_value(field, "") for field in fields or ("password", "confirm")]
