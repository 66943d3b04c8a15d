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
        # Which tab logs out (Reflex's client token, no secret): the sign-out push spares it.
        rx.el.input(type="hidden", name="tab", value=rx.State.router.session.client_token),
        rx.button("Log out", type="submit", variant="soft", id="logout"),
        action=backend_url(routes.AUTH_LOGOUT),
        method="post",
    )


def nav_bar() -> rx.Component:
    """The top bar of signed-in pages, with the log-out button."""
    return rx.hstack(
        brand(),
        rx.link("Home", href=routes.ADMIN, id="nav-home", size="2"),
        rx.link("Account", href=routes.ACCOUNT, id="nav-account", size="2"),
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
            # Only on a live, hydrated page: a reload runs its own check (and clears the flag).
            rx.cond(
                rx.State.is_hydrated & AuthState.signed_out_elsewhere,
                _signed_out_notice(),
                _checking(),
            ),
        ),
    )


def _signed_out_notice() -> rx.Component:
    # Appears when the server pushes a sign-out; its mount takes the tab to the sign-in page.
    return rx.center(
        rx.text("You were signed out: your session ended elsewhere."),
        min_height="100vh",
        id="signed-out",
        on_mount=AuthState.leave_signed_out_page,
    )


def _checking() -> rx.Component:
    return rx.center(
        rx.spinner(size="3"),
        rx.text("Checking your session…"),
        min_height="100vh",
        spacing="3",
        id="session-check",
    )


def card_section(title: str, *children: rx.Component, section_id: str) -> rx.Component:
    """A card with a heading, for one section of a signed-in page."""
    return rx.card(
        rx.heading(title, size="4", as_="h2", margin_bottom="0.75rem"),
        rx.vstack(*children, spacing="3", width="100%"),
        width="100%",
        id=section_id,
    )


def detail_item(label: str, value: rx.Var[str], field_id: str) -> rx.Component:
    """One "label: value" line of a details list; `field_id` names the value for tests."""
    return rx.data_list.item(
        rx.data_list.label(label), rx.data_list.value(rx.text(value, id=field_id))
    )
