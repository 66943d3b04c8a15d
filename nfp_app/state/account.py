"""AccountState: /account for every signed-in user: email, sessions, history, deletion."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db, workers
from nfp_app.security import policy
from nfp_app.services import accounts, my_account, my_sessions
from nfp_app.state import busy
from nfp_app.state.auth import AuthState
from nfp_app.state.login import form_text
from nfp_app.state.password_visibility import PasswordVisibility
from nfp_app.state.views import EventRow, SessionRow, event_row, session_row

EMAIL_CONFIRM_SENT = "Almost done: open the link we sent to the new address to confirm it."
DELETED = "account-deleted"


class AccountState(PasswordVisibility, AuthState):
    """The user's sessions and history, served only to the session that loaded them."""

    email_error: str = ""
    email_notice: str = ""
    sessions_notice: str = ""
    delete_error: str = ""
    # One flag per button that starts server work, so each shows its own busy state.
    email_busy: bool = False
    delete_busy: bool = False
    sessions_busy: bool = False
    _sessions: list[SessionRow] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    _events: list[EventRow] = []  # noqa: RUF012
    _loaded_for: int | None = None

    def _mine(self) -> bool:
        return self._checked_here() and self._loaded_for == self._session_id

    @rx.var(cache=False)
    def sessions(self) -> list[SessionRow]:
        """The live sessions of the signed-in user."""
        return self._sessions if self._mine() else []

    @rx.var(cache=False)
    def events(self) -> list[EventRow]:
        """The signed-in user's last sign-ins, failures and changes."""
        return self._events if self._mine() else []

    async def _load(self, user_id: int) -> None:
        views = await db.run(
            my_sessions.sessions_of, user_id=user_id, current_session_id=self._session_id
        )
        events = await db.run(my_sessions.recent_events, user_id=user_id)
        self._sessions = [session_row(view) for view in views]
        self._events = [event_row(event) for event in events]
        self._loaded_for = self._session_id

    async def _reload(self) -> None:
        """Load the tables again, for the live user of this tab."""
        user = await self._require_login()
        if user is not None and user.id is not None:
            await self._load(user.id)

    @rx.event
    async def open_page(self):
        """On load: check the session (or go to /login), then load the tables."""
        self.email_error = self.email_notice = self.sessions_notice = self.delete_error = ""
        self.email_busy = self.delete_busy = self.sessions_busy = False
        self._hide_passwords()
        user = await self._require_login()
        if user is None or user.id is None:
            return self._login_redirect()
        await self._load(user.id)
        return None

    @rx.event
    @busy.busy_while("sessions_busy")
    async def revoke(self, session_id: int):
        """End one of the user's own sessions; ending this one signs this tab out."""
        user = await self._require_login()
        if user is None or user.id is None:
            return self._login_redirect()
        if not isinstance(session_id, int) or isinstance(session_id, bool):
            return None
        ended = await db.run(
            my_sessions.revoke_session,
            user_id=user.id,
            session_id=session_id,
            ip=self.router.session.client_ip,
        )
        if ended and session_id == self._session_id:
            await self._forget()
            return rx.redirect(routes.LOGIN, replace=True)
        self.sessions_notice = "The session was signed out." if ended else ""
        await self._load(user.id)
        return None

    @rx.event
    @busy.busy_while("sessions_busy")
    async def revoke_others(self):
        """Sign out every session of the user but this one."""
        user = await self._require_login()
        if user is None or user.id is None or self._session_id is None:
            return self._login_redirect()
        await db.run(
            my_sessions.revoke_other_sessions,
            user_id=user.id,
            keep=self._session_id,
            ip=self.router.session.client_ip,
        )
        self.sessions_notice = "Every other session was signed out."
        await self._load(user.id)
        return None

    @rx.event
    @busy.busy_while("email_busy")
    async def change_email(self, form_data: dict[str, Any]):
        """A new address, confirmed by the password (and by a link when verification is on)."""
        user = await self._require_login()
        if user is None or user.id is None:
            return self._login_redirect()
        self.email_error = self.email_notice = ""
        try:
            confirmed = await db.run(
                my_account.change_email,
                executor=workers.sign_in_pool(),
                user_id=user.id,
                password=form_text(form_data, "email_password"),
                email=form_text(form_data, "new_email").strip(),
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except (policy.PolicyError, accounts.AccountError) as error:
            self.email_error = error.message
            return [rx.set_value("email_password", ""), rx.set_focus("email_password")]
        self.email_notice = "Your email address was changed." if confirmed else EMAIL_CONFIRM_SENT
        await self._require_login()  # the header and profile show the new address
        return [rx.set_value("email_password", ""), rx.set_value("new_email", "")]

    @rx.event
    @busy.busy_while("delete_busy")
    async def delete_account(self, form_data: dict[str, Any]):
        """Delete the account after the password and the typed username."""
        user = await self._require_login()
        if user is None or user.id is None:
            return self._login_redirect()
        self.delete_error = ""
        try:
            await db.run(
                my_account.delete_own_account,
                executor=workers.sign_in_pool(),
                user_id=user.id,
                password=form_text(form_data, "delete_password"),
                confirmation=form_text(form_data, "delete_confirmation"),
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except accounts.AccountError as error:
            self.delete_error = error.message
            return [rx.set_value("delete_password", ""), rx.set_focus("delete_password")]
        await self._forget()
        return rx.redirect(routes.login_with_notice(DELETED), replace=True)
