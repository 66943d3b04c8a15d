"""SignupState: the /signup form and its live password hint."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db, workers
from nfp_app.infra.urls import backend_url
from nfp_app.security import policy
from nfp_app.services import accounts, signup
from nfp_app.state.auth import COOKIES_NEEDED, AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text
from nfp_app.state.password_meter import PasswordMeter
from nfp_app.state.password_visibility import PasswordVisibility

# The form's fields in page order: focus goes to the first one with an error.
FIELDS = ("username", "email", "password", "confirm")

CHECK_INBOX = (
    "Almost done: we sent a link to your email address. Open it to confirm the address, "
    "then sign in."
)


class SignupState(PasswordVisibility, PasswordMeter, AuthState):
    """Field errors and the strength hint; passwords live only in form_data and event arguments."""

    username_error: str = ""
    email_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    form_error: str = ""
    form_notice: str = ""
    busy: bool = False

    def _clear_errors(self) -> None:
        self.username_error = self.email_error = ""
        self.password_error = self.confirm_error = self.form_error = self.form_notice = ""

    @rx.event
    async def open_page(self):
        """On load: a signed-in tab goes to the admin page; otherwise show a clean form."""
        self._clear_errors()
        self.strength_score, self.strength_label, self.busy = 0, "", False
        self._hide_passwords()
        if await self._require_login() is not None:
            return rx.redirect(routes.AFTER_SIGN_IN, replace=True)
        return self._bind_browser()

    def _field_error(self, field: str, message: str) -> None:
        attribute = f"{field}_error"
        setattr(self, attribute if field in FIELDS else "form_error", message)

    def _after_failure(self) -> list[rx.event.EventSpec]:
        """Empty the password fields and move focus to the first field with an error."""
        events = self._clear_passwords()
        for field in FIELDS:
            if getattr(self, f"{field}_error"):
                events.append(rx.set_focus(field))
                break
        return events

    @rx.event
    @busy_while("busy")
    async def submit(self, form_data: dict[str, Any]):
        """Validate, create the account off the event loop, and sign the new user in."""
        self._clear_errors()
        username = form_text(form_data, "username")
        email = form_text(form_data, "email")
        password = form_text(form_data, "password")
        if password != form_text(form_data, "confirm"):
            self.confirm_error = "The passwords do not match."
            yield self._after_failure()
            return
        binding = self._browser_binding()
        if not binding:
            self.form_error = COOKIES_NEEDED
            yield self._clear_passwords()
            return
        try:
            ip = self.router.session.client_ip
            # Checked before waiting for a hashing thread: a flood is refused cheaply.
            wait = await db.run(signup.admit, ip=ip)
            if wait:
                self.form_error = signup.throttled_message(wait)
                yield self._clear_passwords()
                return
            user, started = await db.run(
                signup.sign_up,
                executor=workers.hashing_pool(),
                username=username,
                password=password,
                email=email,
                user_agent=self.router.headers.user_agent,
                ip=ip,
                binding=binding,
            )
        except (policy.PolicyError, accounts.AccountError) as error:
            self._field_error(error.field, error.message)
            yield self._after_failure()
            return
        if started is None:
            self.form_notice = CHECK_INBOX
            yield self._clear_passwords()
            return
        await self._remember(started.session_id, user)
        self._begin_handoff(backend_url(routes.handoff(started.handoff_code)), routes.AFTER_SIGN_IN)
