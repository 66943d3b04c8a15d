"""AdminUserState: the console's page of one account, and what an administrator does to it.

Every action acts on the account this page loaded on the server (never on an id the client
sends), after a fresh administrator check, with the reason typed into its confirmation dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.services import admin_actions, mfa_admin
from nfp_app.services.accounts import AccountError
from nfp_app.services.admin_user_detail import parse_id
from nfp_app.state import admin_user_views as views
from nfp_app.state.admin_console import AdminConsoleState
from nfp_app.state.admin_user_loader import load_account
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text

# Reflex adds a state var named after the route's dynamic segment: [user_id] in ADMIN_USER.
ROUTE_ARG = "user_id"


class AdminUserState(AdminConsoleState):
    """One account's profile, sessions and events, served only to the admin who loaded them."""

    # Which confirmation dialog is open: harmless UI state.
    open_dialog: str = ""
    acting: bool = False  # an action is running: its confirm button shows it
    _target: int | None = None
    _missing: bool = False
    _account: views.ProfileView | None = None
    _sessions: list[views.SessionLine] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    _events: list[views.EventLine] = []  # noqa: RUF012
    _status: str = ""
    _refusal: str = ""

    @rx.var(cache=False)
    def account(self) -> views.ProfileView | None:
        """The account's profile."""
        return self._account if self._console_is_mine() else None

    @rx.var(cache=False)
    def account_sessions(self) -> list[views.SessionLine]:
        """The account's live sessions, newest first."""
        return self._sessions if self._console_is_mine() else []

    @rx.var(cache=False)
    def account_events(self) -> list[views.EventLine]:
        """The account's latest audit events, newest first."""
        return self._events if self._console_is_mine() else []

    @rx.var(cache=False)
    def missing(self) -> bool:
        """Whether the page's id names no account."""
        return self._missing and self._console_is_mine()

    @rx.var(cache=False)
    def status(self) -> str:
        """What the last action did."""
        return self._status if self._console_is_mine() else ""

    @rx.var(cache=False)
    def refusal(self) -> str:
        """Why the last action was refused."""
        return self._refusal if self._console_is_mine() else ""

    def _forget_account(self) -> None:
        self._target, self._missing, self._account = None, False, None
        self._sessions, self._events = [], []
        self._status = self._refusal = self.open_dialog = ""

    def _leave(self) -> rx.event.EventSpec | None:
        """After a refused administrator check: nothing stays loaded."""
        self._forget_account()
        return self._not_admin_redirect()

    async def _load(self) -> None:
        """Load the page's account again (or note that it is gone)."""
        loaded = await load_account(self._target)
        self._account, self._sessions, self._events = loaded.account, loaded.sessions, loaded.events
        self._missing = loaded.account is None

    @rx.event
    async def open_page(self):
        """On load: check for an administrator, then load the account the URL names."""
        self._forget_account()
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        self._target = parse_id(getattr(self, ROUTE_ARG, ""))
        await self._load()
        return None

    @rx.event
    async def toggle_dialog(self, dialog_id: str, is_open: bool):
        """Open or close a confirmation dialog; the last refusal goes with it."""
        if await self._require_admin() is None:
            return self._leave()
        self._refusal = ""
        valid = isinstance(dialog_id, str) and len(dialog_id) <= 64 and is_open is True
        self.open_dialog = dialog_id if valid else ""
        return None

    # The handlers return this async generator; Reflex runs it, so the busy state shows at once.
    @busy_while("acting")
    async def _act(
        self, form_data: Any, action: Callable[..., Any], done: str, **arguments: Any
    ) -> rx.event.EventSpec | None:
        """Run one admin action on the page's account; refusals stay in the open dialog."""
        admin = await self._require_admin()
        if admin is None:
            return self._leave()
        target, account = self._target, self._account
        if target is None or account is None:
            self.open_dialog = ""
            return None
        self._status = ""
        reason = form_text(form_data, "reason") if isinstance(form_data, dict) else ""
        acting = admin_actions.Acting(actor=admin.username, ip=self.router.session.client_ip)
        try:
            await db.run(action, user_id=target, reason=reason, acting=acting, **arguments)
        except AccountError as error:
            self._refusal = error.message
            return None
        self._refusal, self.open_dialog = "", ""
        if action is admin_actions.delete_user:
            self._forget_account()
            return rx.redirect(routes.ADMIN_USERS)
        self._status = done.format(username=account.username)
        # The administrator may have just disabled or demoted themselves.
        if await self._require_admin() is None:
            return self._leave()
        await self._load()
        return None

    @rx.event
    def disable(self, form_data: dict[str, Any]):
        """Disable the account; its sessions end."""
        done = "{username} was disabled."
        return self._act(form_data, admin_actions.update_status, done, active=False)

    @rx.event
    def enable(self, form_data: dict[str, Any]):
        """Enable the account again."""
        done = "{username} was enabled."
        return self._act(form_data, admin_actions.update_status, done, active=True)

    @rx.event
    def promote(self, form_data: dict[str, Any]):
        """Make the account an administrator."""
        done = "{username} is now an administrator."
        return self._act(form_data, admin_actions.update_status, done, admin=True)

    @rx.event
    def demote(self, form_data: dict[str, Any]):
        """Withdraw administrator rights; the account's sessions end."""
        done = "{username} is no longer an administrator."
        return self._act(form_data, admin_actions.update_status, done, admin=False)

    @rx.event
    def revoke_all_sessions(self, form_data: dict[str, Any]):
        """End every session and token of the account."""
        done = "Every session of {username} was ended."
        return self._act(form_data, admin_actions.revoke_sessions, done)

    @rx.event
    def revoke_one_session(self, form_data: dict[str, Any]):
        """End one session of the account (the service checks that it is theirs)."""
        raw = form_text(form_data, "session_id") if isinstance(form_data, dict) else ""
        # 0 names no session: the service then refuses with "That session has already ended."
        session_id = parse_id(raw) or 0
        done = "The session was ended."
        return self._act(form_data, admin_actions.revoke_session, done, session_id=session_id)

    @rx.event
    def send_password_reset(self, form_data: dict[str, Any]):
        """Mail the account a password-reset link."""
        done = "A password-reset link was sent to {username}."
        return self._act(form_data, admin_actions.send_password_reset, done)

    @rx.event
    def reset_mfa(self, form_data: dict[str, Any]):
        """Turn the account's two-factor authentication off; the user is emailed."""
        done = "Two-factor authentication of {username} was reset."
        return self._act(form_data, mfa_admin.admin_reset, done)

    @rx.event
    def delete_account(self, form_data: dict[str, Any]):
        """Delete the account for good, then go back to the user list."""
        return self._act(form_data, admin_actions.delete_user, "")
