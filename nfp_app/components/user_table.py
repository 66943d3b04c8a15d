"""The console's user list: search and filters, the table of one page, and the pager."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.pager import pager
from nfp_app.services.user_directory_types import MAX_QUERY_LENGTH
from nfp_app.state.admin_users import AdminUsersState
from nfp_app.state.user_list import (
    ACTIVE_CHOICES,
    ADMIN_CHOICES,
    SORT_CHOICES,
    VERIFIED_CHOICES,
    ListedUser,
)

# Wait this long after the last keystroke before searching: one query per pause, not per key.
SEARCH_DEBOUNCE_MS = 300
COLUMNS = ("Username", "Email", "Status", "Sessions", "Last sign-in", "Created")


def _choice_select(
    which: str, value: rx.Var[str] | str, choices: tuple[tuple[str, str], ...], label: str
) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(
            id=f"filter-{which}" if which != "sort" else "user-sort", aria_label=label
        ),
        rx.select.content(*[rx.select.item(text, value=key) for key, text in choices]),
        value=value,
        on_change=lambda choice: AdminUsersState.choose(which, choice),
    )


def search_bar() -> rx.Component:
    """The prefix search (as you type) and the filter and sort selects."""
    state = AdminUsersState
    return rx.vstack(
        rx.hstack(
            rx.input(
                id="user-search",
                name="search",
                type="search",
                placeholder="Username or email starts with…",
                aria_label="Search users by username or email prefix",
                default_value=state.search_text,
                max_length=MAX_QUERY_LENGTH,
                auto_complete="off",
                on_change=state.search.debounce(SEARCH_DEBOUNCE_MS),
                min_width="16rem",
            ),
            _choice_select("active", state.active_filter, ACTIVE_CHOICES, "Status"),
            _choice_select("admin", state.admin_filter, ADMIN_CHOICES, "Role"),
            _choice_select("verified", state.verified_filter, VERIFIED_CHOICES, "Email"),
            _choice_select("sort", state.sort_order, SORT_CHOICES, "Order"),
            wrap="wrap",
            spacing="2",
            align="center",
        ),
        rx.cond(
            state.search_error != "",
            rx.text(
                state.search_error, color_scheme="red", size="2", id="search-error", role="alert"
            ),
        ),
        width="100%",
    )


def _badges(row: rx.vars.ObjectVar[ListedUser]) -> rx.Component:
    return rx.hstack(
        rx.cond(
            row.active,
            rx.badge("Active", color_scheme="green", high_contrast=True),
            rx.badge("Disabled", color_scheme="red", high_contrast=True),
        ),
        rx.cond(row.admin, rx.badge("Admin", color_scheme="purple", high_contrast=True)),
        rx.cond(
            row.verified,
            rx.badge("Verified", color_scheme="blue", high_contrast=True),
            rx.badge("Unverified", color_scheme="gray", high_contrast=True),
        ),
        rx.cond(
            row.mfa,
            rx.badge("2FA on", color_scheme="green", high_contrast=True, class_name="mfa-badge"),
            rx.badge("2FA off", color_scheme="gray", high_contrast=True, class_name="mfa-badge"),
        ),
        spacing="1",
        wrap="wrap",
    )


def _user_row(row: rx.vars.ObjectVar[ListedUser]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=row.selected,
                on_change=lambda checked: AdminUsersState.toggle_row(row.id, checked),
                aria_label=f"Select {row.username}",
                class_name="select-row",
            )
        ),
        rx.table.row_header_cell(rx.link(row.username, href=row.href, class_name="user-link")),
        rx.table.cell(row.email),
        rx.table.cell(_badges(row)),
        rx.table.cell(row.sessions),
        rx.table.cell(row.last_sign_in),
        rx.table.cell(row.created),
        data_username=row.username,
    )


def users_table() -> rx.Component:
    """This page of accounts, with a checkbox per row and one for the whole page."""
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(
                    rx.checkbox(
                        id="select-all",
                        checked=AdminUsersState.all_selected,
                        on_change=AdminUsersState.toggle_all,
                        aria_label="Select all on this page",
                    )
                ),
                *[rx.table.column_header_cell(title) for title in COLUMNS],
            )
        ),
        rx.table.body(rx.foreach(AdminUsersState.rows, _user_row)),
        id="users-table",
        width="100%",
    )


def users_pager() -> rx.Component:
    """Previous and Next (keyset pages), the page number and the count when there is one."""
    state = AdminUsersState
    return pager(
        "users",
        page_number=state.page,
        turn=state.turn_page,
        has_previous=state.page > 1,
        has_next=state.has_next,
        busy=state.paging,
        after=rx.hstack(
            rx.spacer(),
            # A live region: a screen reader hears how many accounts a search found.
            rx.text(
                state.total_text, size="2", color_scheme="gray", id="users-total", role="status"
            ),
            flex_grow="1",
        ),
    )
