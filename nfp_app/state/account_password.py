"""AccountPasswordState: the "Change password" form on /account."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.infra import db, workers
from nfp_app.security import policy
from nfp_app.services import accounts, my_account
from nfp_app.state.account import AccountState
from nfp_app.state.auth import AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text
from nfp_app.state.password_meter import PasswordMeter
from nfp_app.state.password_visibility import PasswordVisibility

CHANGED = "Your password was changed. Every other session was signed out."


class AccountPasswordState(PasswordVisibility, PasswordMeter, AuthState):
    """The form's errors and notice; the passwords live only in form_data."""

    current_error: str = ""
    password_error: str = ""
    confirm_error: str = ""
    notice: str = ""
    busy: bool = False

    def _clear(self) -> None:
        self.current_error = self.password_error = self.confirm_error = self.notice = ""

    @rx.event
    def open_page(self):
        """On load: a clean form."""
        self._clear()
        self.busy = False
        self._hide_passwords()

    def _cleared(self) -> list[rx.event.EventSpec]:
        """Empty the three fields; after a failure, focus the first field with an error."""
        events = self._clear_passwords("current", "password", "confirm")
        for field in ("current", "password", "confirm"):
            if getattr(self, f"{field}_error"):
                return [*events, rx.set_focus(field)]
        self._hide_passwords()
        return events

    @rx.event
    @busy_while("busy")
    async def submit(self, form_data: dict[str, Any]):
        """Check the current password (like a sign-in), then set the new one."""
        user = await self._require_login()
        if user is None or user.id is None:
            yield self._login_redirect()
            return
        self._clear()
        new = form_text(form_data, "password")
        if new != form_text(form_data, "confirm"):
            self.confirm_error = "The passwords do not match."
            yield self._cleared()
            return
        try:
            await db.run(
                my_account.change_password,
                executor=workers.hashing_pool(),
                user_id=user.id,
                current=form_text(form_data, "current"),
                new=new,
                keep_session_id=self._session_id,
                ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
            )
        except my_account.WrongPasswordError as error:
            self.current_error = error.message
        except my_account.TooManyAttemptsError as error:
            self.current_error = error.message
        except (policy.PolicyError, accounts.AccountError) as error:
            self.password_error = error.message
        else:
            self.notice = CHANGED
            # The sessions table now has this session only.
            account = await self.get_state(AccountState)
            await account._reload()
        yield self._cleared()
