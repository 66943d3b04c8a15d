"""LoginState: the /login form."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db, workers
from nfp_app.infra.urls import backend_url
from nfp_app.security.redirects import safe_next
from nfp_app.services import email_verification, password_reset, signin
from nfp_app.state.auth import COOKIES_NEEDED, AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.password_visibility import PasswordVisibility

# One text for a wrong password and an unknown user alike, so neither is revealed.
BAD_CREDENTIALS = "Incorrect username or password."
UNVERIFIED = (
    "Confirm your email address first: open the link we sent you. No message? Send it again."
)


def throttled_message(retry_after: int) -> str:
    """What the form says while sign-ins for this account or address are paused."""
    return f"Too many attempts, try again in {retry_after} s."


def error_for(result: signin.SignInResult) -> str:
    """The form's error for a sign-in result; empty when the user is signed in."""
    if isinstance(result, signin.Throttled):
        return throttled_message(result.retry_after)
    if isinstance(result, signin.BadCredentials):
        return BAD_CREDENTIALS
    if isinstance(result, signin.Unverified):
        return UNVERIFIED
    return ""


def form_text(form_data: dict[str, Any], name: str) -> str:
    """A form field as text; anything that is not a string counts as empty."""
    value = form_data.get(name, "")
    return value if isinstance(value, str) else ""


def form_checked(form_data: dict[str, Any], name: str) -> bool:
    """Whether a checkbox in the form was ticked."""
    return form_data.get(name) in (True, "on", "true")


# What `?notice=` may put above the form: known keys only, never text from the URL.
NOTICES = {
    "password-reset": "Your password was changed. Sign in with the new one.",
    "signed-out": "You were signed out: your session ended elsewhere.",
    "account-deleted": "Your account was deleted.",
    "email-verified": "Your email address is confirmed.",
    "all-signed-out": "Every session was signed out. Check your email to choose a new password.",
    "verify-expired": "Sign in again: the verification step expired.",
    "verify-failed": "Sign in again: too many incorrect codes.",
}


class LoginState(PasswordVisibility, AuthState):
    """Errors and the busy flag of the login form; the password lives only in form_data."""

    error: str = ""
    notice: str = ""
    busy: bool = False
    resending: bool = False
    # Offer to resend the confirmation link; the username waits on the server only.
    can_resend: bool = False
    _unverified_username: str = ""
    # A sign-in waiting for its second factor (routes.LOGIN_VERIFY redeems it with
    # mfa_signin.complete_sign_in); the challenge token and where to go after it, server-side.
    _mfa_challenge: str = ""
    _mfa_next: str = ""

    @rx.event
    async def open_page(self):
        """On load: a signed-in tab goes straight on; otherwise show a clean form."""
        self.error = ""
        self.busy = self.resending = self.can_resend = False
        # Back at the password step: a half-finished sign-in is dropped.
        self._mfa_challenge = self._mfa_next = ""
        self._hide_passwords()
        self.notice = NOTICES.get(self.router.url.query_parameters.get("notice", ""), "")
        if await self._require_login() is not None:
            return rx.redirect(self._next_path(), replace=True)
        return self._bind_browser()

    @rx.event
    @busy_while("resending")
    async def resend_verification(self):
        """Send the confirmation link again to the account that just proved its password."""
        if not self._unverified_username:
            return
        result = await db.run(
            email_verification.resend,
            username=self._unverified_username,
            ip=self.router.session.client_ip,
        )
        self.error, self.can_resend = "", False
        if isinstance(result, password_reset.RequestThrottled):
            self.error = f"Too many requests, try again in {result.retry_after} s."
            return
        self.notice = "A new confirmation link is on its way."

    def _next_path(self) -> str:
        return safe_next(self.router.url.query_parameters.get("next"))

    @rx.event
    @busy_while("busy")
    async def submit(self, form_data: dict[str, Any]):
        """Check the credentials off the event loop, open a session and set the cookie."""
        username = form_text(form_data, "username").strip()
        password = form_text(form_data, "password")
        if not username or not password:
            self.error = "Enter your username and password."
            yield rx.set_focus("password" if username else "username")
            return
        binding = self._browser_binding()
        if not binding:
            self.error = COOKIES_NEEDED
            return
        self.error = self.notice = ""
        result = await db.run(
            signin.sign_in,
            executor=workers.sign_in_pool(),
            username=username,
            password=password,
            persistent=form_checked(form_data, "remember_me"),
            user_agent=self.router.headers.user_agent,
            ip=self.router.session.client_ip,
            binding=binding,
            device_token=self._device_token(),
        )
        if isinstance(result, signin.SecondFactorRequired):
            self._mfa_challenge, self._mfa_next = result.challenge, self._next_path()
            yield rx.redirect(routes.LOGIN_VERIFY)
            return
        if not isinstance(result, signin.SignedIn):
            self.error = error_for(result)
            self.can_resend = isinstance(result, signin.Unverified)
            self._unverified_username = username if self.can_resend else ""
            yield [rx.set_value("password", ""), rx.set_focus("password")]
            return
        await self._remember(result.started.session_id, result.user)
        self._begin_handoff(
            backend_url(routes.handoff(result.started.handoff_code)), self._next_path()
        )
