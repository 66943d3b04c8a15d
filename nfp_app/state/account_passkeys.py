"""AccountPasskeysState: /account's passkeys list: rename and remove."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.infra import db
from nfp_app.models import User, utcnow
from nfp_app.services import accounts, passkey_manage
from nfp_app.services.passkey_results import Refused
from nfp_app.state.auth import AuthState
from nfp_app.state.busy import busy_while
from nfp_app.state.login import form_text
from nfp_app.state.passkey_rows import PasskeyRow, passkey_row

NO_PASSKEY = -1


def _passkey_id(value: object) -> int:
    """A passkey id from the browser; anything but a whole number names none."""
    return value if isinstance(value, int) and not isinstance(value, bool) else NO_PASSKEY


class AccountPasskeysState(AuthState):
    """The user's passkeys, served only to the session that loaded them."""

    # The passkey whose name is being edited, or whose removal waits for a confirmation.
    renaming: int = NO_PASSKEY
    removing: int = NO_PASSKEY
    error: str = ""
    notice: str = ""
    busy: bool = False
    # An account without a password sees "Set a password"; its last passkey cannot go.
    has_password: bool = True
    _rows: list[PasskeyRow] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    _loaded_for: int | None = None

    @rx.var(cache=False)
    def passkeys(self) -> list[PasskeyRow]:
        """The signed-in user's passkeys, newest first."""
        mine = self._checked_here() and self._loaded_for == self._session_id
        return self._rows if mine else []

    async def _load(self, user: User) -> None:
        views = await db.run(passkey_manage.list_passkeys, user=user)
        self._rows = [passkey_row(view) for view in views]
        self.has_password = accounts.has_password(user)
        self._loaded_for = self._session_id

    async def _reload(self) -> None:
        """Load the list again for the live user of this tab (after an added passkey)."""
        user = await self._require_login()
        if user is not None:
            await self._load(user)

    @rx.event
    async def open_page(self):
        """On load: the list, for a signed-in tab only (AccountState redirects the others)."""
        self.error = self.notice = ""
        self.busy = False
        self.renaming = self.removing = NO_PASSKEY
        user = await self._require_login()
        if user is not None:
            await self._load(user)

    @rx.event
    def start_rename(self, passkey_id: int):
        """Show the name field of one passkey."""
        self.renaming, self.removing = _passkey_id(passkey_id), NO_PASSKEY
        self.error = self.notice = ""
        return rx.set_focus("passkey_name")

    @rx.event
    def ask_remove(self, passkey_id: int):
        """Ask for a confirmation before removing one passkey."""
        self.removing, self.renaming = _passkey_id(passkey_id), NO_PASSKEY
        self.error = self.notice = ""

    @rx.event
    def cancel(self):
        """Close the name field or the confirmation."""
        self.renaming = self.removing = NO_PASSKEY

    def _context(self) -> dict[str, Any]:
        return {
            "now": utcnow(),
            "ip": self.router.session.client_ip,
            "user_agent": self.router.headers.user_agent,
        }

    @rx.event
    @busy_while("busy")
    async def rename(self, form_data: dict[str, Any]):
        """Store the new name of the passkey being renamed."""
        user = await self._require_login()
        if user is None:
            yield self._login_redirect()
            return
        result = await db.run(
            passkey_manage.rename_passkey,
            user=user,
            passkey_id=self.renaming,
            name=form_text(form_data, "passkey_name"),
            **self._context(),
        )
        if isinstance(result, Refused):
            self.error = result.message
            return
        self.renaming, self.notice = NO_PASSKEY, f"Renamed to “{result.name}”."
        await self._load(user)

    @rx.event
    @busy_while("busy")
    async def remove(self):
        """Remove the passkey whose removal was confirmed (never a passwordless account's last)."""
        user = await self._require_login()
        if user is None:
            yield self._login_redirect()
            return
        result = await db.run(
            passkey_manage.remove_passkey, user=user, passkey_id=self.removing, **self._context()
        )
        self.removing = NO_PASSKEY
        if isinstance(result, Refused):
            self.error = result.message
            return
        self.notice = "The passkey was removed."
        await self._load(user)
