"""The /admin page: the signed-in user's account, and the user table for administrators."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.layout import detail_item, signed_in_frame
from nfp_app.state.admin import AdminState
from nfp_app.state.auth import AuthState
from nfp_app.state.views import UserRow


def account_card() -> rx.Component:
    """The signed-in user's own details."""
    user = AuthState.user
    return rx.card(
        rx.heading("Your account", size="4", as_="h2", margin_bottom="0.75rem"),
        rx.data_list.root(
            detail_item("Username", user.username, "account-username"),  # type: ignore[union-attr]
            detail_item("Email", user.email, "account-email"),  # type: ignore[union-attr]
            detail_item("Role", user.role, "account-role"),  # type: ignore[union-attr]
            detail_item("Created", user.created_at, "account-created"),  # type: ignore[union-attr]
            detail_item("Last sign-in", user.last_login_at, "account-last-login"),  # type: ignore[union-attr]
        ),
        width="100%",
    )


def _user_row(row: rx.vars.ObjectVar[UserRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.username),
        rx.table.cell(row.email),
        rx.table.cell(row.admin),
        rx.table.cell(row.active),
        rx.table.cell(row.created),
    )


def users_table() -> rx.Component:
    """All users, read-only and paged; rendered only when the server filled it for an admin."""
    return rx.cond(
        AdminState.total_users > 0,
        rx.card(
            rx.heading("All users", size="4", as_="h2", margin_bottom="0.75rem"),
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(title)
                            for title in ("Username", "Email", "Admin", "Active", "Created")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(AdminState.rows, _user_row)),
                id="users-table",
                width="100%",
            ),
            rx.hstack(
                rx.button(
                    "Previous",
                    on_click=AdminState.previous_page,
                    disabled=AdminState.page <= 1,
                    variant="soft",
                ),
                rx.text(
                    f"Page {AdminState.page} of {AdminState.page_count}", size="2", id="users-page"
                ),
                rx.button(
                    "Next",
                    on_click=AdminState.next_page,
                    disabled=AdminState.page >= AdminState.page_count,
                    variant="soft",
                ),
                align="center",
                margin_top="0.75rem",
            ),
            width="100%",
        ),
    )


def admin_page() -> rx.Component:
    """Protected: nothing below renders until AuthState confirms the session."""
    return signed_in_frame(
        rx.vstack(
            account_card(),
            users_table(),
            spacing="4",
            width="100%",
            max_width="60rem",
            padding="1rem",
            margin_x="auto",
        ),
    )
