"""SetPasswordState: "Set a password" on /account, for an account that signs in with passkeys."""

from __future__ import annotations

import time
from typing import Any

import reflex as rx

from nfp_app.infra import db, workers
from nfp_app.models import utcnow
from nfp_app.security import policy
from nfp_app.services import accounts, my_account, passkey_ceremonies
from nfp_app.services.passkey_results import Refused
from nfp_app.state import ceremony_results
from nfp_app.state.account_passkeys import AccountPasskeysState
from nfp_app.state.account_password import AccountPasswordState
from nfp_app.state.auth import AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text
from nfp_app.state.password_meter import PasswordMeter
from nfp_app.state.password_visibility import PasswordVisibility

# How long a passkey confirmation allows setting the password.
REAUTH_SECONDS = 300
SET = "Your password is set: you can sign in with it too. Every other session was signed out."


class SetPasswordState(PasswordVisibility, PasswordMeter, AuthState):
    """A passkey confirms the user first (no current password exists); then the new one."""

    # "" (the start button), "reauth" (the passkey ceremony), "password" (the new password).
    step: str = ""
    options: dict[str, Any] = {}  # noqa: RUF012  (Reflex copies state defaults per client)
    error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    busy: bool = False
    _handle: str = ""
    _confirmed_at: float = 0.0
    _confirmed_for: int | None = None

    @rx.event
    def open_page(self):
        """On load: nothing under way."""
        self._reset_flow()

    def _reset_flow(self) -> None:
        self.step, self.options, self._handle = "", {}, ""
        self.error = self.password_error = self.confirm_error = ""
        self.busy, self._confirmed_at, self._confirmed_for = False, 0.0, None
        self._hide_passwords()

    @rx.event
    def cancel(self):
        """Leave the flow."""
        self._reset_flow()

    @rx.event
    @busy_while("busy")
    async def start(self):
        """A passkey ceremony to confirm it is the user."""
        user = await self._require_login()
        if user is None:
            return self._login_redirect()
        started = await db.run(passkey_ceremonies.begin_reauth, user=user, now=utcnow())
        if isinstance(started, Refused):
            self.error = started.message
            return None
        self.step, self.options, self._handle, self.error = (
            "reauth",
            started.options,
            started.handle,
            "",
        )
        return None

    @rx.event
    @busy_while("busy")
    async def finish_reauth(self, result: Any):
        """The passkey answered: the password form, for a few minutes."""
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
            ip=self.router.session.client_ip,
            user_agent=self.router.headers.user_agent,
        )
        if isinstance(checked, Refused):
            self.step, self.error = "", checked.message
            return
        self.step, self.error = "password", ""
        self._confirmed_at, self._confirmed_for = time.time(), self._session_id
        yield rx.set_focus("password")

    def _confirmed(self) -> bool:
        # Wall-clock time: with Redis the next event may run in another worker or on another host.
        fresh = time.time() - self._confirmed_at < REAUTH_SECONDS
        return fresh and self._confirmed_for is not None and self._confirmed_for == self._session_id

    @rx.event
    @busy_while("busy")
    async def submit(self, form_data: dict[str, Any]):
        """Set the first password, if the passkey confirmation is recent."""
        user = await self._require_login()
        if user is None or user.id is None:
            yield self._login_redirect()
            return
        self.password_error = self.confirm_error = self.error = ""
        if not self._confirmed():
            self.step, self.error = "", "Confirm it is you with a passkey again."
            yield self._clear_passwords("password", "confirm")
            return
        new = form_text(form_data, "password")
        if new != form_text(form_data, "confirm"):
            self.confirm_error = "The passwords do not match."
            yield [*self._clear_passwords("password", "confirm"), rx.set_focus("confirm")]
            return
        try:
            await db.run(
                my_account.set_password,
                executor=workers.hashing_pool(),
                user=user,
                new_password=new,
                keep_session_id=self._session_id,
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except (policy.PolicyError, accounts.AccountError) as error:
            self.password_error = error.message
            yield [*self._clear_passwords("password", "confirm"), rx.set_focus("password")]
            return
        self._reset_flow()
        # The section turns into "Change password", which says so.
        (await self.get_state(AccountPasswordState)).notice = SET
        await (await self.get_state(AccountPasskeysState))._reload()
