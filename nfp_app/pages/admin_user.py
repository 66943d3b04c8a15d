"""/admin/users/[user_id]: one account in the console, and the actions on it."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.admin_nav import console_page
from nfp_app.components.admin_user_sections import events_card, profile_card, sessions_card
from nfp_app.components.form_field import notice_callout
from nfp_app.state.admin_user import AdminUserState


def _not_found() -> rx.Component:
    return rx.callout(
        rx.vstack(
            # The page's one h1 in this state, so the page still has a heading.
            rx.heading("No such user.", size="4", as_="h1", id="user-not-found-heading"),
            rx.link(
                "Back to the user list",
                href=routes.ADMIN_USERS,
                id="back-to-users",
                high_contrast=True,
            ),
            spacing="1",
        ),
        icon="circle_alert",
        color_scheme="amber",
        # Amber's usual text colour (and the link's) is 4.2:1 on the callout in light mode.
        high_contrast=True,
        role="alert",
        id="user-not-found",
    )


def _account() -> rx.Component:
    return rx.vstack(
        rx.heading(
            AdminUserState.account.username,  # type: ignore[union-attr]
            size="6",
            as_="h1",
            id="user-detail-heading",
        ),
        notice_callout(AdminUserState.status, callout_id="action-message"),
        profile_card(),
        sessions_card(),
        events_card(),
        spacing="4",
        width="100%",
    )


def admin_user_page() -> rx.Component:
    """Protected: rendered only once the server has confirmed an administrator."""
    return console_page(
        routes.ADMIN_USERS,
        rx.cond(
            AdminUserState.missing,
            _not_found(),
            rx.cond(AdminUserState.account, _account(), rx.spinner(size="3")),
        ),
    )
