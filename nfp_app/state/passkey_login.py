"""PasskeyLoginState: /login's "Sign in with a passkey" button and the username field's autofill."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.infra import db
from nfp_app.infra.urls import backend_url
from nfp_app.models import utcnow
from nfp_app.routes import handoff
from nfp_app.security.redirects import safe_next
from nfp_app.services import passkey_ceremonies, passkey_signin, signin
from nfp_app.state import ceremony_results
from nfp_app.state.auth import COOKIES_NEEDED, AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import UNVERIFIED


class PasskeyLoginState(AuthState):
    """One sign-in ceremony at a time: its options are public (the challenge is), its handle not."""

    # simplewebauthn's optionsJSON; empty until on_load prepared a ceremony.
    options: dict[str, Any] = {}  # noqa: RUF012  (Reflex copies state defaults per client)
    # The ceremony's challenge; "" while none is ready (the autofill element is unmounted).
    ceremony_key: str = ""
    supported: bool = True
    error: str = ""
    busy: bool = False
    _handle: str = ""

    @rx.var
    def ready(self) -> bool:
        """Whether a ceremony is prepared and the browser can run it."""
        return self.supported and bool(self.ceremony_key)

    async def _prepare(self) -> None:
        ceremony = await db.run(passkey_signin.begin_signin, now=utcnow())
        self._handle, self.options = ceremony.handle, ceremony.options
        self.ceremony_key = str(ceremony.options.get("challenge", ""))

    @rx.event
    async def prepare(self):
        """On load (after LoginState's check): new options for the button and the autofill."""
        self.error, self.busy = "", False
        if self.is_authenticated:
            return
        await self._prepare()

    @rx.event
    def note_support(self, supported: Any):
        """The browser's answer to browserSupportsWebAuthn."""
        self.supported = supported is True

    @rx.event
    @busy_while("busy")
    async def finish_autofill(self, result: Any):
        """The conditional request settled: a chosen passkey, or nothing to say.

        It is aborted when the button starts its own request (on the same challenge); and a
        browser without autofill support refuses it. Neither is the user's doing.
        """
        if ceremony_results.ceremony_error(result) is None and not await self._finish(result):
            self._restart()
            yield
            await self._prepare()

    @rx.event
    @busy_while("busy")
    async def finish_button(self, result: Any):
        """The button's request settled: sign in, or say why not."""
        failed = ceremony_results.ceremony_error(result)
        if failed is not None:
            self.error = ceremony_results.error_message(failed)
        elif await self._finish(result):
            return
        # The autofill request ended with the button's (aborted, or its challenge used).
        self._restart()
        yield
        await self._prepare()

    def _restart(self) -> None:
        """Unmount the autofill element now, so that the next ceremony mounts it afresh."""
        self.ceremony_key, self.options = "", {}

    async def _finish(self, credential: dict[str, Any]) -> bool:
        """Sign in with the credential; False (and why, in `error`) when refused."""
        binding = self._browser_binding()
        if not binding:
            self.error = COOKIES_NEEDED
            return False
        handle, self._handle = self._handle, ""
        result = await db.run(
            passkey_signin.sign_in_with_passkey,
            handle=handle,
            credential=credential,
            binding=binding,
            user_agent=self.router.headers.user_agent,
            ip=self.router.session.client_ip,
            device_token=self._device_token(),
        )
        if isinstance(result, signin.SignedIn):
            self.error = ""
            await self._remember(result.started.session_id, result.user)
            then = safe_next(self.router.url.query_parameters.get("next"))
            self._begin_handoff(backend_url(handoff(result.started.handoff_code)), then)
            return True
        self.error = UNVERIFIED if isinstance(result, signin.Unverified) else _refusal(result)
        return False


def _refusal(result: object) -> str:
    """The message of a refused ceremony."""
    if isinstance(result, passkey_ceremonies.Refused):
        return result.message
    return "That passkey could not sign you in."
