"""PasskeySecondFactorState: /login/verify's "Use a passkey" instead of a code."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.infra.urls import backend_url
from nfp_app.models import utcnow
from nfp_app.services import passkey_signin, signin
from nfp_app.services.passkey_results import Ceremony, Refused
from nfp_app.state import ceremony_results
from nfp_app.state.auth import COOKIES_NEEDED, AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import LoginState
from nfp_app.state.login_verify import EXPIRED, LoginVerifyState


class PasskeySecondFactorState(AuthState):
    """The ceremony for the pending sign-in; the challenge token stays in LoginState."""

    # Whether the account has passkeys (then the page offers one instead of the code).
    available: bool = False
    options: dict[str, Any] = {}  # noqa: RUF012  (Reflex copies state defaults per client)
    supported: bool = True
    error: str = ""
    busy: bool = False
    _handle: str = ""

    async def _prepare(self) -> bool:
        """A new ceremony for the pending sign-in; False when there is none to prove."""
        login = await self.get_state(LoginState)
        self.available, self.options, self._handle = False, {}, ""
        if not login._mfa_challenge:
            return False
        started = await db.run(
            passkey_signin.begin_second_factor, challenge=login._mfa_challenge, now=utcnow()
        )
        # ChallengeInvalid for an account without passkeys too: then only the code is asked.
        if not isinstance(started, Ceremony):
            return False
        self.available, self.options, self._handle = True, started.options, started.handle
        return True

    @rx.event
    async def prepare(self):
        """On load (after LoginVerifyState found a live challenge): the passkey option."""
        self.error, self.busy = "", False
        await self._prepare()

    @rx.event
    def note_support(self, supported: Any):
        """The browser's answer to browserSupportsWebAuthn."""
        self.supported = supported is True

    @rx.event
    @busy_while("busy")
    async def finish(self, result: Any):
        """The ceremony settled: complete the sign-in, or say why not."""
        failed = ceremony_results.ceremony_error(result)
        if failed is not None:
            self.error = ceremony_results.error_message(failed)
            return
        binding = self._browser_binding()
        if not binding:
            self.error = COOKIES_NEEDED
            return
        login = await self.get_state(LoginState)
        then = login._mfa_next or routes.AFTER_SIGN_IN
        handle, self._handle = self._handle, ""
        outcome = await db.run(
            passkey_signin.complete_second_factor,
            challenge=login._mfa_challenge,
            handle=handle,
            credential=result,
            binding=binding,
            user_agent=self.router.headers.user_agent,
            ip=self.router.session.client_ip,
            device_token=self._device_token(),
        )
        if isinstance(outcome, signin.SignedIn):
            self.error = ""
            await self._remember(outcome.started.session_id, outcome.user)
            self._begin_handoff(backend_url(routes.handoff(outcome.started.handoff_code)), then)
            return
        if isinstance(outcome, Refused):
            self.error = outcome.message
            await self._prepare()
            return
        verify = await self.get_state(LoginVerifyState)
        yield await verify._restart(EXPIRED)
