"""AdminConsoleState: the base of every console page state; data only for a live admin.

Any client can call any handler with any arguments, so each console handler starts with
`await self._require_admin()`. What a handler loads lives in "_" vars and reaches the browser
only through computed vars that check `_console_is_mine()`: Reflex hands a tab's stored state
to anyone connecting with its client token, before any on_load has run.
"""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.models import User
from nfp_app.state.auth import AuthState
from nfp_app.state.changes import assign_changed


class AdminConsoleState(AuthState):
    """Shared by the console's page states; it has no vars a browser sees."""

    # The session the console data was loaded for (a reset on any change of hands clears it too).
    _console_for: int | None = None
    # Whether the last check found an administrator (regular users see their own summary).
    _admin_checked: bool = False

    def _console_is_mine(self) -> bool:
        """Whether the loaded console data belongs to this connection's checked admin session."""
        return (
            self._admin_checked
            and self._checked_here()
            and self._console_for is not None
            and self._console_for == self._session_id
        )

    @rx.var(cache=False)
    def is_admin(self) -> bool:
        """Whether this connection checked an administrator's session; gates the console."""
        return self._console_is_mine()

    async def _require_admin(self) -> User | None:
        """The live administrator of this tab, or None (data cleared, nothing loaded).

        An administrator whom MFA_REQUIRED_FOR_ADMINS holds back counts as none here: every
        console page and handler passes this check, so none of them works before enrolment."""
        user = await self._require_login()
        if user is None or not user.is_admin or self._mfa_due:
            assign_changed(self, _admin_checked=False, _console_for=None)
            return None
        assign_changed(self, _admin_checked=True, _console_for=self._session_id)
        return user

    def _not_admin_redirect(self) -> rx.event.EventSpec | None:
        """After a refused `_require_admin`: signed out goes to /login, an administrator who
        must enrol in 2FA to /account, a user stays put."""
        if self.user is None:
            return self._login_redirect()
        return rx.redirect(routes.MFA_REQUIRED, replace=True) if self._mfa_due else None
