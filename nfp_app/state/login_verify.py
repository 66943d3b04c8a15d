"""LoginVerifyState: /login/verify, the second step of a sign-in with 2FA."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.infra.urls import backend_url
from nfp_app.models import utcnow
from nfp_app.services import mfa_challenges, mfa_signin, signin
from nfp_app.state.auth import COOKIES_NEEDED, AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import LoginState, form_text, throttled_message

# LoginState's NOTICES keys for a sign-in that has to start again from the password.
EXPIRED = "verify-expired"
TOO_MANY = "verify-failed"
CODE_FIELD = "code"
RECOVERY_FIELD = "recovery_code"


def wrong_code_message(attempts_left: int) -> str:
    """What the form says after a refused code."""
    attempts = "attempt" if attempts_left == 1 else "attempts"
    return f"Incorrect code. {attempts_left} {attempts} left."


class LoginVerifyState(AuthState):
    """The code form's mode and errors; the challenge itself stays in LoginState, server-side."""

    # Set once on_load has found a live challenge: only then is the form shown.
    pending: bool = False
    use_recovery: bool = False
    # A refused or missing code, under the field; anything else (a pause, cookies) above the button.
    code_error: str = ""
    error: str = ""
    busy: bool = False

    async def _challenge(self) -> LoginState:
        return await self.get_state(LoginState)

    async def _restart(self, notice: str) -> rx.event.EventSpec:
        """Drop the half-finished sign-in and go back to the password step."""
        login = await self._challenge()
        login._mfa_challenge = login._mfa_next = ""
        self.pending = False
        return rx.redirect(routes.login_with_notice(notice), replace=True)

    @rx.event
    async def open_page(self):
        """On load: show the form only for a live challenge; otherwise back to /login."""
        self.error = self.code_error = ""
        self.busy = self.use_recovery = self.pending = False
        login = await self._challenge()
        live = bool(login._mfa_challenge) and (
            await db.run(
                mfa_challenges.find,
                token=login._mfa_challenge,
                channel="browser",
                now=utcnow(),
            )
            is not None
        )
        if not live:
            return await self._restart(EXPIRED)
        self.pending = True
        return None

    @rx.event
    def switch_mode(self):
        """Between the authenticator's code and a recovery code."""
        self.use_recovery = not self.use_recovery
        self.error = self.code_error = ""
        return rx.set_focus(RECOVERY_FIELD if self.use_recovery else CODE_FIELD)

    @rx.event
    @busy_while("busy")
    async def submit(self, form_data: dict[str, Any]):
        """Redeem the challenge with the code; only then open the session and set the cookie."""
        field = RECOVERY_FIELD if self.use_recovery else CODE_FIELD
        code = form_text(form_data, field).strip()
        login = await self._challenge()
        if not login._mfa_challenge:
            yield await self._restart(EXPIRED)
            return
        if not code:
            self.code_error = "Enter the code."
            yield rx.set_focus(field)
            return
        binding = self._browser_binding()
        if not binding:
            self.error = COOKIES_NEEDED
            return
        self.error = self.code_error = ""
        then = login._mfa_next or routes.AFTER_SIGN_IN
        result = await db.run(
            mfa_signin.complete_sign_in,
            challenge=login._mfa_challenge,
            code=code,
            binding=binding,
            user_agent=self.router.headers.user_agent,
            ip=self.router.session.client_ip,
            device_token=self._device_token(),
        )
        if isinstance(result, signin.SignedIn):
            # A new session resets every page state, LoginState's challenge included.
            await self._remember(result.started.session_id, result.user)
            self._begin_handoff(backend_url(routes.handoff(result.started.handoff_code)), then)
            return
        if isinstance(result, mfa_signin.ChallengeInvalid):
            yield await self._restart(EXPIRED)
        elif isinstance(result, signin.Throttled):
            self.error = throttled_message(result.retry_after)
        elif result.attempts_left == 0:
            yield await self._restart(TOO_MANY)
        else:
            self.code_error = wrong_code_message(result.attempts_left)
            yield [rx.set_value(field, ""), rx.set_focus(field)]
