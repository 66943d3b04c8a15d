"""ForgotPasswordState: the /forgot-password form and its one neutral answer."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.infra import db
from nfp_app.services import password_reset
from nfp_app.state.auth import AuthState
from nfp_app.state.login import form_text

# The same words whether or not the account exists, has an address, or asked too often.
SENT = (
    "If an account with that name or address exists and has an email, a link to choose a new "
    "password is on its way. It works once, for a limited time."
)


class ForgotPasswordState(AuthState):
    """Whether the request was taken, and errors; the identifier is not kept."""

    sent: bool = False
    error: str = ""
    busy: bool = False

    @rx.event
    def open_page(self):
        """On load: a clean form."""
        self.sent, self.error, self.busy = False, "", False

    @rx.event
    async def submit(self, form_data: dict[str, Any]):
        """Ask for a reset link; the answer never says whether the account exists."""
        if self.busy:
            return
        identifier = form_text(form_data, "identifier").strip()
        if not identifier:
            self.error = "Enter your username or email address."
            yield rx.set_focus("identifier")
            return
        self.error, self.busy = "", True
        yield
        try:
            await db.run(
                password_reset.request_reset,
                identifier=identifier,
                ip=self.router.session.client_ip,
            )
        finally:
            self.busy = False
        self.sent = True
