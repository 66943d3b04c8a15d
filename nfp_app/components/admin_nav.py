"""The console's tabs (Overview, Users, Audit log), shown to administrators only."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.layout import signed_in_frame
from nfp_app.state.admin_console import AdminConsoleState

# One width for every console page, so that switching tabs does not move the content.
CONSOLE_WIDTH = "72rem"

TABS = (
    ("Overview", routes.ADMIN, "console-tab-overview"),
    ("Users", routes.ADMIN_USERS, "console-tab-users"),
    ("Audit log", routes.ADMIN_AUDIT, "console-tab-audit"),
)


def console_tabs(current: str) -> rx.Component:
    """Links between the console's pages; `current` is the route of this page."""
    return rx.el.nav(
        rx.hstack(
            *[
                rx.link(
                    title,
                    href=route,
                    id=tab_id,
                    size="2",
                    weight="bold" if route == current else "regular",
                    aria_current="page" if route == current else None,
                    padding_x="0.5rem",
                    padding_y="0.25rem",
                    border_bottom="2px solid var(--accent-9)" if route == current else "none",
                )
                for title, route, tab_id in TABS
            ],
            spacing="3",
        ),
        aria_label="Administration",
        id="console-tabs",
    )


def console_only(current: str, *children: rx.Component) -> rx.Component:
    """The tabs and `children`, rendered only once the server confirmed an administrator."""
    return rx.cond(
        AdminConsoleState.is_admin,
        rx.vstack(console_tabs(current), *children, spacing="4", width="100%"),
    )


def console_page(current: str, *children: rx.Component) -> rx.Component:
    """A whole console page: the signed-in frame, then the tabs and `children` for admins."""
    return signed_in_frame(
        rx.box(
            console_only(current, *children),
            width="100%",
            max_width=CONSOLE_WIDTH,
            padding="1rem",
            margin_x="auto",
        ),
    )
