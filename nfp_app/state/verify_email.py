"""VerifyEmailState: /verify-email?token=...: confirm an address with one click."""

from __future__ import annotations

from nfp_app.infra import db
from nfp_app.services import email_verification
from nfp_app.state.auth import AuthState
from nfp_app.state.email_link import EmailLink

CONFIRMED = "email-verified"


class VerifyEmailState(EmailLink, AuthState):
    """Whether the link was confirmed, or why not."""

    async def _use_link(self, token: str) -> str:
        # The address the link was sent to becomes the account's email.
        await db.run(email_verification.verify, token=token)
        return CONFIRMED
