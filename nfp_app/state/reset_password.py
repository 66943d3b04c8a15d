"""ResetPasswordState: /reset-password?token=...: a new password for the link's account."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db, workers
from nfp_app.security import policy
from nfp_app.services import password_reset
from nfp_app.state.auth import AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text
from nfp_app.state.password_meter import PasswordMeter
from nfp_app.state.password_visibility import PasswordVisibility

RESET_DONE = "password-reset"


class ResetPasswordState(PasswordVisibility, PasswordMeter, AuthState):
    """Whether the link works, and the form's errors; the token stays on the server."""

    link_ok: bool = False
    checked: bool = False
    link_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    busy: bool = False
    _token: str = ""

    @rx.event
    async def open_page(self):
        """On load: look at the link's token without using it up (mail scanners open links)."""
        self.password_error = self.confirm_error = self.link_error = ""
        self.busy, self.checked = False, False
        self._hide_passwords()
        self._token = self.router.url.query_parameters.get("token", "")
        try:
            await db.run(password_reset.check_link, token=self._token)
        except password_reset.InvalidLinkError as error:
            self.link_ok, self.link_error = False, error.message
        else:
            self.link_ok = True
        self.checked = True

    @rx.event
    @busy_while("busy")
    async def submit(self, form_data: dict[str, Any]):
        """Set the new password, use the link up, and go to /login with a notice."""
        if not self.link_ok:
            return
        self.password_error = self.confirm_error = ""
        password = form_text(form_data, "password")
        if password != form_text(form_data, "confirm"):
            self.confirm_error = "The passwords do not match."
            yield [*self._clear_passwords(), rx.set_focus("confirm")]
            return
        try:
            await db.run(
                password_reset.reset_password,
                executor=workers.hashing_pool(),
                token=self._token,
                password=password,
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except password_reset.InvalidLinkError as error:
            self.link_ok, self.link_error = False, error.message
            return
        except policy.PolicyError as error:
            self.password_error = error.message
            yield [*self._clear_passwords(), rx.set_focus("password")]
            return
        self._token = ""
        yield rx.redirect(routes.login_with_notice(RESET_DONE), replace=True)
