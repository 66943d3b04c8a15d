"""Page frames: the centred card for the forms and the signed-in frame with its nav bar."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.cookie_beacon import cookie_beacon
from nfp_app.infra.urls import backend_url
from nfp_app.reflex_compat import NativeForm
from nfp_app.state.auth import AuthState

LOGO = "/logo.svg"


def brand() -> rx.Component:
    """The logo and the app's name; the logo is decorative, the name says it."""
    return rx.hstack(
        rx.image(src=LOGO, alt="", width="1.75rem", height="1.75rem", id="logo"),
        rx.text("nfp_app", size="4", weight="bold"),
        align="center",
        spacing="2",
    )


def auth_card(title: str, *children: rx.Component) -> rx.Component:
    """A centred card for the login and signup forms."""
    return rx.center(
        rx.card(
            rx.vstack(
                brand(),
                rx.heading(title, size="6", as_="h1"),
                *children,
                spacing="4",
                width="100%",
            ),
            width="100%",
            max_width="26rem",
            size="3",
        ),
        cookie_beacon(),
        min_height="100vh",
        padding="1rem",
    )


def logout_form() -> rx.Component:
    """ "Log out" posts to the backend, which checks the Origin, ends the session and clears
    the cookie; no other site can sign the user out with a link."""
    return NativeForm.create(
        rx.button("Log out", type="submit", variant="soft", id="logout"),
        action=backend_url(routes.AUTH_LOGOUT),
        method="post",
    )


def nav_bar() -> rx.Component:
    """The top bar of signed-in pages, with the log-out button."""
    return rx.hstack(
        brand(),
        rx.spacer(),
        rx.text(AuthState.user.username, id="nav-username"),  # type: ignore[union-attr]
        logout_form(),
        align="center",
        width="100%",
        padding="1rem",
        border_bottom="1px solid var(--gray-a5)",
    )


def signed_in_frame(*children: rx.Component) -> rx.Component:
    """Shows its children only once the server has confirmed the session."""
    return rx.box(
        cookie_beacon(),
        rx.cond(
            # A stored snapshot arrives with is_hydrated false; show nothing until on_load ran.
            rx.State.is_hydrated & AuthState.is_authenticated,
            rx.vstack(nav_bar(), *children, width="100%", spacing="0"),
            rx.center(
                rx.spinner(size="3"),
                rx.text("Checking your session…"),
                min_height="100vh",
                spacing="3",
                id="session-check",
            ),
        ),
    )
