"""AdminState: the user table on /admin, loaded only for administrators."""

from __future__ import annotations

import math

import reflex as rx

from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.services import accounts
from nfp_app.state.auth import AuthState
from nfp_app.state.views import UserRow, user_row


async def _load_page(page: int, page_size: int) -> tuple[list[UserRow], int]:
    offset = (page - 1) * page_size
    users, total = await db.run(accounts.list_users, offset=offset, limit=page_size)
    return [user_row(user) for user in users], total


class AdminState(AuthState):
    """The signed-in page; the table is filled only for a live administrator session."""

    page: int = 1
    page_count: int = 1
    _rows: list[UserRow] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    _total_users: int = 0
    # The session the table was loaded for: it is served to that session only, even if a
    # reset were ever missed (AuthState._switch_session clears it on every change of hands).
    _loaded_for: int | None = None

    def _table_is_mine(self) -> bool:
        return self._checked_here() and self._loaded_for == self._session_id

    @rx.var(cache=False)
    def rows(self) -> list[UserRow]:
        """This page of users, for the connection that checked the admin session."""
        return self._rows if self._table_is_mine() else []

    @rx.var(cache=False)
    def total_users(self) -> int:
        """How many users exist; 0 hides the table."""
        return self._total_users if self._table_is_mine() else 0

    def _clear_table(self) -> None:
        self._rows, self.page, self.page_count, self._total_users = [], 1, 1, 0
        self._loaded_for = None

    @rx.event
    async def open_page(self):
        """On load: check the session (or send to /login), then load the first page for admins."""
        return await self._show_page(1)

    async def _show_page(self, page: int) -> rx.event.EventSpec | None:
        user = await self._require_login()
        if user is None or not user.is_admin:
            self._clear_table()
            return self._login_redirect() if user is None else None
        page_size = get_settings().users_page_size
        rows, total = await _load_page(max(page, 1), page_size)
        self._total_users = total
        self.page_count = max(1, math.ceil(total / page_size))
        if page > self.page_count:
            rows, total = await _load_page(self.page_count, page_size)
            page = self.page_count
        self._rows, self.page = rows, max(page, 1)
        self._loaded_for = self._session_id
        return None

    @rx.event
    async def next_page(self):
        """Show the next page of users."""
        return await self._show_page(self.page + 1)

    @rx.event
    async def previous_page(self):
        """Show the previous page of users."""
        return await self._show_page(self.page - 1)
