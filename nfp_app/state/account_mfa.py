"""AccountMfaState: the "Two-factor authentication" section of /account (set up, new
recovery codes, turn off); what it shows is in the MfaViews mixin."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.infra import db, workers
from nfp_app.models import utcnow
from nfp_app.services import accounts, mfa_enrolment
from nfp_app.state import busy
from nfp_app.state.auth import AuthState
from nfp_app.state.login import form_text
from nfp_app.state.mfa_views import MfaViews, Shown
from nfp_app.state.password_visibility import PasswordVisibility

ENABLED = "Two-factor authentication is on. Save your recovery codes now."
DISABLED = "Two-factor authentication is off."
NEW_CODES = "New recovery codes: the old ones no longer work. Save these now."


class AccountMfaState(MfaViews, PasswordVisibility, AuthState):
    """Status, set-up step, errors and busy flags; secrets only in `_` vars."""

    setup_error: str = ""
    code_error: str = ""
    regen_error: str = ""
    off_error: str = ""
    notice: str = ""
    setup_busy: bool = False
    regen_busy: bool = False
    off_busy: bool = False
    _loaded_for: int | None = None

    def _mine(self) -> bool:
        """Whether the loaded status and secrets belong to this connection's checked session."""
        return self._checked_here() and self._loaded_for == self._session_id

    def _clear_messages(self) -> None:
        self.setup_error = self.code_error = self.regen_error = self.off_error = self.notice = ""

    def _who(self) -> dict[str, str]:
        return {"ip": self.router.session.client_ip, "user_agent": self.router.headers.user_agent}

    async def _user_id(self) -> int | None:
        """The live user of this tab (status reloaded), or None with the secrets gone."""
        self._clear_messages()
        user = await self._require_login()
        if user is None or user.id is None:
            self._forget_secrets()
            return None
        found = await db.run(mfa_enrolment.status, user_id=user.id)
        self._enabled, self._codes_left = found.enabled, found.recovery_codes_left
        self._loaded_for = self._session_id
        return user.id

    def _refused(self, message_var: str, error: accounts.AccountError, field: str) -> list[Any]:
        """Show the refusal, empty the field and put the focus in it."""
        setattr(self, message_var, error.message)
        return [rx.set_value(field, ""), rx.set_focus(field)]

    async def _done(self, notice: str, codes: list[str]) -> None:
        """After a change: the status again, the notice, and new codes to show (if any)."""
        await self._user_id()
        self._forget_secrets()
        self._keep(Shown(codes=codes))
        self.notice = notice
        self._hide_passwords()

    @rx.event
    async def open_page(self):
        """On load: nothing left over from an earlier visit, then the status."""
        self._forget_secrets()
        self.setup_busy = self.regen_busy = self.off_busy = False
        self._hide_passwords()
        await self._user_id()

    @rx.event
    def leave(self):
        """The section left the page: the secret and codes go."""
        self._forget_secrets()

    @rx.event
    @busy.busy_while("setup_busy")
    async def begin(self):
        """Start the set-up: with a recent password straight to the code, else ask for it."""
        user_id = await self._user_id()
        if user_id is None:
            return self._login_redirect()
        if self._enabled or self._recent_reauth() is None:
            self.setup_step = "" if self._enabled else "password"
            return None if self._enabled else rx.set_focus("mfa_password")
        return await self._start(user_id, password=None)

    @rx.event
    @busy.busy_while("setup_busy")
    async def confirm_password(self, form_data: dict[str, Any]):
        """The password for the set-up; then the QR code and the secret."""
        user_id = await self._user_id()
        if user_id is None:
            return self._login_redirect()
        return await self._start(user_id, password=form_text(form_data, "mfa_password"))

    async def _start(self, user_id: int, *, password: str | None) -> Any:
        try:
            started = await db.run(
                mfa_enrolment.start_enrolment,
                executor=workers.sign_in_pool(),
                user_id=user_id,
                password=password,
                # A typed password is always checked; only no password leans on a recent one.
                reauthenticated_at=self._recent_reauth() if password is None else None,
                **self._who(),
            )
        except accounts.AccountError as error:
            self.setup_step = "password"
            return self._refused("setup_error", error, "mfa_password")
        if password is not None:
            self._reauth_at = utcnow()
        self._keep(Shown(secret=started.secret, qr_svg=started.qr_svg))
        self.setup_step = "code"
        self._hide_passwords()
        return rx.set_focus("mfa_code")

    @rx.event
    @busy.busy_while("setup_busy")
    async def activate(self, form_data: dict[str, Any]):
        """The first code from the app: 2FA goes on, and the recovery codes are shown."""
        user_id = await self._user_id()
        if user_id is None:
            return self._login_redirect()
        try:
            codes = await db.run(
                mfa_enrolment.confirm_enrolment,
                executor=None,
                user_id=user_id,
                code=form_text(form_data, "mfa_code").strip(),
                **self._who(),
            )
        except accounts.AccountError as error:
            return self._refused("code_error", error, "mfa_code")
        await self._done(ENABLED, codes)
        return rx.set_focus("recovery-codes")

    @rx.event
    def cancel_setup(self):
        """Close the set-up; the unfinished secret is dropped here (and replaced next time)."""
        self._forget_secrets()

    @rx.event
    def codes_saved(self):
        """The user saved the codes: they are not shown again."""
        self._keep(Shown())
        self.notice = ""

    @rx.event
    @busy.busy_while("regen_busy")
    async def regenerate(self, form_data: dict[str, Any]):
        """A new set of recovery codes, after the password."""
        user_id = await self._user_id()
        if user_id is None:
            return self._login_redirect()
        try:
            codes = await db.run(
                mfa_enrolment.regenerate_recovery_codes,
                executor=workers.sign_in_pool(),
                user_id=user_id,
                password=form_text(form_data, "regen_password"),
                **self._who(),
            )
        except accounts.AccountError as error:
            return self._refused("regen_error", error, "regen_password")
        self._reauth_at = utcnow()
        await self._done(NEW_CODES, codes)
        return [rx.set_value("regen_password", ""), rx.set_focus("recovery-codes")]

    @rx.event
    @busy.busy_while("off_busy")
    async def turn_off(self, form_data: dict[str, Any]):
        """Turn 2FA off with the password and a current code or a recovery code."""
        user_id = await self._user_id()
        if user_id is None:
            return self._login_redirect()
        try:
            await db.run(
                mfa_enrolment.disable,
                executor=workers.sign_in_pool(),
                user_id=user_id,
                password=form_text(form_data, "off_password"),
                code=form_text(form_data, "off_code").strip(),
                **self._who(),
            )
        except accounts.AccountError as error:
            field = "off_password" if error.field == "current" else "off_code"
            return self._refused("off_error", error, field)
        self._reauth_at = utcnow()
        await self._done(DISABLED, [])
        return rx.set_focus("mfa-status")
