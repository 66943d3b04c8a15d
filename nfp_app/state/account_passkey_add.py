"""AddPasskeyState: /account's "Add a passkey": re-authenticate, name it, create it."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.infra import db, workers
from nfp_app.models import User, utcnow
from nfp_app.services import accounts, my_account, passkey_ceremonies
from nfp_app.services.passkey_results import Ceremony, Refused
from nfp_app.state import ceremony_results
from nfp_app.state.account_passkeys import AccountPasskeysState
from nfp_app.state.auth import AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text
from nfp_app.state.password_visibility import PasswordVisibility

# The steps of the add flow; "" is none.
PASSWORD, REAUTH, NAME = "password", "reauth", "name"
PASSWORD_FIELD = "passkey_password"  # noqa: S105  (a field name)
NAME_FIELD = "new_passkey_name"


class AddPasskeyState(PasswordVisibility, AuthState):
    """Which step the add flow is at; the ceremony's options are public, its handle is not."""

    step: str = ""
    # simplewebauthn's optionsJSON for the step's ceremony (re-authentication or creation).
    options: dict[str, Any] = {}  # noqa: RUF012  (Reflex copies state defaults per client)
    supported: bool = True
    error: str = ""
    busy: bool = False
    _handle: str = ""
    _name: str = ""

    def _reset(self) -> None:
        self.step, self.options, self.error, self.busy = "", {}, "", False
        self._handle = self._name = ""

    def _context(self) -> dict[str, Any]:
        return {"ip": self.router.session.client_ip, "user_agent": self.router.headers.user_agent}

    @rx.event
    def open_page(self):
        """On load: no flow under way."""
        self._reset()
        self._hide_passwords()

    @rx.event
    def note_support(self, supported: Any):
        """The browser's answer to browserSupportsWebAuthn."""
        self.supported = supported is True

    @rx.event
    def cancel(self):
        """Leave the add flow."""
        self._reset()

    @rx.event
    @busy_while("busy")
    async def start(self):
        """Ask for the password, or, for an account without one, for a passkey."""
        user = await self._require_login()
        if user is None:
            return self._login_redirect()
        self.error = ""
        if accounts.has_password(user):
            self.step = PASSWORD
            return rx.set_focus(PASSWORD_FIELD)
        started = await db.run(passkey_ceremonies.begin_reauth, user=user, now=utcnow())
        return self._show(started, REAUTH)

    def _show(self, started: Ceremony | Refused, step: str) -> None:
        if isinstance(started, Refused):
            self.error, self.step = started.message, ""
            return
        self._handle, self.options, self.step = started.handle, started.options, step

    async def _begin_registration(self, user: User) -> None:
        started = await db.run(passkey_ceremonies.begin_registration, user=user, now=utcnow())
        self._show(started, NAME)

    @rx.event
    @busy_while("busy")
    async def confirm_password(self, form_data: dict[str, Any]):
        """Re-authentication by the current password; then the name step."""
        user = await self._require_login()
        if user is None:
            yield self._login_redirect()
            return
        try:
            await db.run(
                my_account.confirm_password,
                executor=workers.sign_in_pool(),
                user=user,
                password=form_text(form_data, PASSWORD_FIELD),
                **self._context(),
            )
        except accounts.AccountError as error:
            self.error = error.message
            yield [rx.set_value(PASSWORD_FIELD, ""), rx.set_focus(PASSWORD_FIELD)]
            return
        self.error = ""
        self._hide_passwords()
        await self._begin_registration(user)
        yield rx.set_focus(NAME_FIELD)

    @rx.event
    @busy_while("busy")
    async def finish_reauth(self, result: Any):
        """Re-authentication by a passkey settled; then the name step."""
        user = await self._require_login()
        if user is None:
            yield self._login_redirect()
            return
        failed = ceremony_results.ceremony_error(result)
        if failed is not None:
            self.error = ceremony_results.error_message(failed)
            return
        handle, self._handle = self._handle, ""
        checked = await db.run(
            passkey_ceremonies.finish_reauth,
            user=user,
            handle=handle,
            credential=result,
            now=utcnow(),
            **self._context(),
        )
        if isinstance(checked, Refused):
            self._show(checked, "")
            return
        self.error = ""
        await self._begin_registration(user)
        yield rx.set_focus(NAME_FIELD)

    @rx.event
    def keep_name(self, form_data: dict[str, Any]):
        """The name typed for the new passkey; the creation ceremony runs next, in the browser."""
        self._name = form_text(form_data, NAME_FIELD)
        self.error = ""

    @rx.event
    @busy_while("busy")
    async def finish(self, result: Any):
        """The creation ceremony settled: store the passkey, or say why not."""
        user = await self._require_login()
        if user is None:
            yield self._login_redirect()
            return
        failed = ceremony_results.ceremony_error(result)
        if failed is not None:
            # The challenge was not used: the user may try again from the name step.
            self.error = ceremony_results.error_message(failed)
            return
        added = await db.run(
            passkey_ceremonies.finish_registration,
            user=user,
            handle=self._handle,
            credential=result,
            name=self._name,
            now=utcnow(),
            **self._context(),
        )
        if isinstance(added, Refused):
            self._show(added, "")
            return
        self._reset()
        passkeys = await self.get_state(AccountPasskeysState)
        await passkeys._reload()
        passkeys.notice = f"Passkey “{added.name}” added."
