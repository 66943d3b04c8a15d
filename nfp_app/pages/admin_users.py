"""The /admin/users page: the console's searchable list of accounts, for administrators."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.admin_nav import console_page
from nfp_app.components.bulk_dialog import bulk_bar, bulk_dialog
from nfp_app.components.tables import scroll_region
from nfp_app.components.user_table import search_bar, users_pager, users_table


def admin_users_page() -> rx.Component:
    """Protected: the console renders only once the server confirmed an administrator."""
    return console_page(
        routes.ADMIN_USERS,
        rx.heading("Users", size="6", as_="h1"),
        search_bar(),
        bulk_bar(),
        scroll_region(users_table(), "Users", "users-table-scroll"),
        users_pager(),
        bulk_dialog(),
    )
