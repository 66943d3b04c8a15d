"""SignupState: the /signup form and its live password hint."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db, workers
from nfp_app.infra.settings import get_settings
from nfp_app.infra.urls import backend_url
from nfp_app.security import policy, strength
from nfp_app.services import accounts, signup
from nfp_app.state.auth import COOKIES_NEEDED, AuthState
from nfp_app.state.login import form_text

RATE_DEBOUNCE_MS = 250
# A rating debounced just before the fields were cleared still arrives afterwards; it describes
# a password that is gone, so ratings this soon after a clear are dropped.
_STALE_RATING_SECONDS = RATE_DEBOUNCE_MS / 1000 + 0.25


class SignupState(AuthState):
    """Field errors and the strength hint; passwords live only in form_data and event arguments."""

    username_error: str = ""
    email_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    form_error: str = ""
    strength_score: int = 0
    strength_label: str = ""
    busy: bool = False
    _cleared_at: float = 0.0

    def _clear_errors(self) -> None:
        self.username_error = self.email_error = ""
        self.password_error = self.confirm_error = self.form_error = ""

    @rx.event
    async def open_page(self):
        """On load: a signed-in tab goes to the admin page; otherwise show a clean form."""
        self._clear_errors()
        self.strength_score, self.strength_label, self.busy = 0, "", False
        if await self._require_login() is not None:
            return rx.redirect(routes.AFTER_SIGN_IN, replace=True)
        return self._bind_browser()

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

    def _field_error(self, field: str, message: str) -> None:
        attribute = f"{field}_error"
        setattr(self, attribute if hasattr(self, attribute) else "form_error", message)

    def _clear_passwords(self) -> list[rx.event.EventSpec]:
        """Empty both password fields and the hint that rated what was in them."""
        self.strength_score, self.strength_label = 0, ""
        self._cleared_at = time.time()
        return [rx.set_value("password", ""), rx.set_value("confirm", "")]

    @rx.event
    async def submit(self, form_data: dict[str, Any]):
        """Validate, create the account off the event loop, and sign the new user in."""
        if self.busy:
            return
        self._clear_errors()
        username = form_text(form_data, "username")
        email = form_text(form_data, "email")
        password = form_text(form_data, "password")
        if password != form_text(form_data, "confirm"):
            self.confirm_error = "The passwords do not match."
            yield self._clear_passwords()
            return
        binding = self._browser_binding()
        if not binding:
            self.form_error = COOKIES_NEEDED
            yield self._clear_passwords()
            return
        self.busy = True
        yield
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
            yield self._clear_passwords()
            return
        finally:
            self.busy = False
        await self._remember(started.session_id, user)
        self._begin_handoff(backend_url(routes.handoff(started.handoff_code)), routes.AFTER_SIGN_IN)
