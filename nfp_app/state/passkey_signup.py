"""PasskeySignupState: /signup's "Sign up with a passkey" (only when PASSKEY_SIGNUP is on)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.infra.urls import backend_url
from nfp_app.models import utcnow
from nfp_app.services import passkey_signup
from nfp_app.services.passkey_results import Refused
from nfp_app.state import ceremony_results
from nfp_app.state.auth import COOKIES_NEEDED, AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text
from nfp_app.state.signup import CHECK_INBOX

PASSKEY_NAME = "Passkey"


class PasskeySignupState(AuthState):
    """The passkey way to sign up: username and email first, then the passkey itself."""

    # Read at load time, so one build serves either setting.
    offered: bool = False
    # The user chose the passkey form over the password form.
    chosen: bool = False
    # The username and email were accepted and the creation options are ready.
    creating: bool = False
    options: dict[str, Any] = {}  # noqa: RUF012  (Reflex copies state defaults per client)
    supported: bool = True
    error: str = ""
    notice: str = ""
    busy: bool = False
    _handle: str = ""

    @rx.event
    def open_page(self):
        """On load: offered or not, and no sign-up under way."""
        self.offered = get_settings().passkey_signup
        self.chosen = False
        self.creating, self.options, self._handle = False, {}, ""
        self.error = self.notice = ""
        self.busy = False

    @rx.event
    def note_support(self, supported: Any):
        """The browser's answer to browserSupportsWebAuthn."""
        self.supported = supported is True

    @rx.event
    def choose(self, chosen: bool):
        """Between the password form and the passkey form."""
        self.chosen, self.error, self.notice = chosen is True, "", ""
        return rx.set_focus("passkey_username" if self.chosen else "username")

    @rx.event
    def cancel(self):
        """Back to the username and email."""
        self.creating, self.options, self._handle, self.error = False, {}, "", ""

    @rx.event
    @busy_while("busy")
    async def begin(self, form_data: dict[str, Any]):
        """Check the username and email; then the passkey can be created."""
        self.error = self.notice = ""
        started = await db.run(
            passkey_signup.begin_signup,
            username=form_text(form_data, "passkey_username"),
            email=form_text(form_data, "passkey_email"),
            now=utcnow(),
            ip=self.router.session.client_ip,
        )
        if isinstance(started, Refused):
            self.error = started.message
            return
        self._handle, self.options, self.creating = started.handle, started.options, True

    @rx.event
    @busy_while("busy")
    async def finish(self, result: Any):
        """The creation ceremony settled: make the account and sign it in, or say why not."""
        failed = ceremony_results.ceremony_error(result)
        if failed is not None:
            self.error = ceremony_results.error_message(failed)
            return
        binding = self._browser_binding()
        if not binding:
            self.error = COOKIES_NEEDED
            return
        handle, self._handle = self._handle, ""
        done = await db.run(
            passkey_signup.finish_signup,
            handle=handle,
            credential=result,
            name=PASSKEY_NAME,
            now=utcnow(),
            ip=self.router.session.client_ip,
            user_agent=self.router.headers.user_agent,
            binding=binding,
        )
        self.creating, self.options = False, {}
        if isinstance(done, Refused):
            self.error = done.message
            return
        if done.started is None:
            self.notice = CHECK_INBOX
            return
        await self._remember(done.started.session_id, done.user)
        self._begin_handoff(
            backend_url(routes.handoff(done.started.handoff_code)), routes.AFTER_SIGN_IN
        )
