"""AdminUsersState: /admin/users, the searchable, filtered, keyset-paged list of accounts."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from nfp_app.infra import db
from nfp_app.services import admin_actions
from nfp_app.services.accounts import AccountError
from nfp_app.state import busy, user_list
from nfp_app.state.admin_console import AdminConsoleState
from nfp_app.state.login import form_text
from nfp_app.state.user_list import ANY, BULK_ACTIONS, NOTHING_SELECTED, ListedUser


class AdminUsersState(AdminConsoleState):
    """Choices are plain vars; rows, counts and results reach only the admin's tab (see base)."""

    search_text: str = ""
    search_error: str = ""
    active_filter: str = ANY
    admin_filter: str = ANY
    verified_filter: str = ANY
    sort_order: str = user_list.DEFAULT_SORT
    page: int = 1
    bulk_action: str = ""  # the bulk action whose dialog is open ("" when none is)
    bulk_error: str = ""
    bulk_busy: bool = False
    paging: bool = False
    _rows: list[ListedUser] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    _total: int | None = None
    _next_cursor: str | None = None
    _cursors: list[str] = []  # noqa: RUF012  (where each page up to this one starts)
    _selected: list[int] = []  # noqa: RUF012
    _bulk_message: str = ""

    @rx.var(cache=False)
    def rows(self) -> list[ListedUser]:
        """This page of accounts, each marked when selected."""
        if not self._console_is_mine():
            return []
        chosen = set(self._selected)
        return [dataclasses.replace(row, selected=row.id in chosen) for row in self._rows]

    @rx.var(cache=False)
    def total_text(self) -> str:
        """How many accounts match, when counted; says so when none does."""
        if not self._console_is_mine():
            return ""
        return user_list.total_text(self._total, shown=len(self._rows))

    @rx.var(cache=False)
    def has_next(self) -> bool:
        """Whether another page follows this one."""
        return self._console_is_mine() and self._next_cursor is not None

    @rx.var(cache=False)
    def all_selected(self) -> bool:
        """Whether every account of this (non-empty) page is selected."""
        if not self._console_is_mine() or not self._rows:
            return False
        return set(self._selected) == {row.id for row in self._rows}

    @rx.var(cache=False)
    def bulk_message(self) -> str:
        """What the last bulk action did and refused."""
        return self._bulk_message if self._console_is_mine() else ""

    async def _load(self) -> None:
        """Load the page that starts at the newest cursor of the stack."""
        query = user_list.user_query(
            prefix=self.search_text,
            active=self.active_filter,
            admin=self.admin_filter,
            verified=self.verified_filter,
            sort=user_list.sort_key(self.sort_order),
        )
        found, self._cursors = await user_list.fetch_page(query, self._cursors)
        self._rows = await user_list.listed_users(found.rows)
        self._total, self._next_cursor = found.total, found.next_cursor
        self.page = len(self._cursors) + 1
        self._selected = [
            user_id for user_id in self._selected if user_id in [row.id for row in self._rows]
        ]

    async def _first_page(self) -> rx.event.EventSpec | None:
        """After a change of search, filter or sort: back to page 1, nothing selected."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        self._cursors, self._selected, self._bulk_message = [], [], ""
        if self.search_error:
            self._rows, self._total, self._next_cursor, self.page = [], 0, None, 1
        else:
            await self._load()
        return None

    @rx.event
    async def open_page(self):
        """On load: check the administrator, then show the list as this tab left it."""
        self.bulk_action = self.bulk_error = self._bulk_message = ""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        await self._load()
        return None

    @rx.event
    async def search(self, value: Any):
        """Search as the admin types (the input debounces): a username or email prefix."""
        text = value if isinstance(value, str) else ""
        self.search_error = user_list.search_problem(text)
        self.search_text = "" if self.search_error else text
        return await self._first_page()

    @rx.event
    async def choose(self, which: Any, value: Any):
        """A filter ("active", "admin", "verified") or the sort ("sort") changed."""
        if which == "sort":
            self.sort_order = user_list.sort_key(value)
        elif isinstance(which, str) and which in user_list.FILTERS:
            setattr(self, f"{which}_filter", user_list.choice(value, user_list.FILTERS[which]))
        return await self._first_page()

    @rx.event
    @busy.busy_while("paging")
    async def turn_page(self, forward: Any):
        """The next page (forward is True) or the previous one, if there is one."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        if forward is True and self._next_cursor is not None:
            self._cursors, self._selected = [*self._cursors, self._next_cursor], []
        elif forward is False and self._cursors:
            self._cursors, self._selected = self._cursors[:-1], []
        await self._load()
        return None

    @rx.event
    async def toggle_row(self, user_id: Any, checked: Any):
        """Select or unselect one account of this page (ids of other pages are ignored)."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        if type(user_id) is int and user_id in [row.id for row in self._rows]:
            others = [chosen for chosen in self._selected if chosen != user_id]
            self._selected = [*others, user_id] if checked is True else others
        return None

    @rx.event
    async def toggle_all(self, checked: Any):
        """Select every account of this page, or none."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        self._selected = [row.id for row in self._rows] if checked is True else []
        return None

    @rx.event
    async def ask_bulk(self, action: Any):
        """Open the confirmation dialog of a bulk action on the selected accounts."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        self.bulk_error = ""
        self.bulk_action = action if action in BULK_ACTIONS and self._selected else ""
        self._bulk_message = "" if self._selected else NOTHING_SELECTED
        return None

    @rx.event
    async def dialog_open_change(self, is_open: Any):
        """The dialog was closed (Cancel, Escape or a click outside)."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        if is_open is not True:
            self.bulk_action = self.bulk_error = ""
        return None

    @rx.event
    @busy.busy_while("bulk_busy")
    async def confirm_bulk(self, form_data: Any):
        """Run the confirmed bulk action on the selected accounts of the page this tab loaded."""
        admin = await self._require_admin()
        if admin is None:
            return self._not_admin_redirect()
        action, self.bulk_error = self.bulk_action, ""
        # Only ids of the rows this server loaded for the tab, whatever the client sent.
        ids = [user_id for user_id in self._selected if user_id in [row.id for row in self._rows]]
        if action not in BULK_ACTIONS or not ids:
            self.bulk_action, self._bulk_message = "", NOTHING_SELECTED
            return None
        reason = form_text(form_data, "reason") if isinstance(form_data, dict) else ""
        service = admin_actions.bulk_disable if action == "disable" else admin_actions.bulk_revoke
        acting = admin_actions.Acting(actor=admin.username, ip=self.router.session.client_ip)
        try:
            result = await db.run(service, user_ids=ids, reason=reason, acting=acting)
        except AccountError as error:
            self.bulk_error = error.message
            return None
        self.bulk_action, self._selected = "", []
        self._bulk_message = user_list.bulk_summary(action, result)
        await self._load()
        return None
