"""The header of every page: the logo and name, the colour-mode toggle and the user menu."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.looks import BUTTON_SIZE, PAGE_PADDING, SECONDARY
from nfp_app.infra.urls import backend_url
from nfp_app.reflex_compat import NativeForm
from nfp_app.state.auth import AuthState

LOGO = "/logo.svg"


def brand() -> rx.Component:
    """The logo and the app's name, linking home; the logo is decorative, the name says it."""
    return rx.link(
        rx.hstack(
            rx.image(src=LOGO, alt="", width="1.75rem", height="1.75rem", id="logo"),
            rx.text("nfp_app", as_="span", size="4", weight="bold"),
            align="center",
            spacing="2",
        ),
        href=routes.HOME,
        color="inherit",
        underline="none",
        id="brand",
    )


def color_mode_toggle() -> rx.Component:
    """Switches between light and dark; the choice is kept in the browser (localStorage)."""
    return rx.color_mode.button(
        aria_label="Switch between light and dark mode",
        title="Switch between light and dark mode",
        id="color-mode-toggle",
        size=BUTTON_SIZE,
        variant="ghost",
    )


def logout_form() -> rx.Component:
    """ "Log out" posts to the backend, which checks the Origin, ends the session and clears
    the cookie; no other site can sign the user out with a link."""
    return NativeForm.create(
        # Which tab logs out (Reflex's client token, no secret): the sign-out push spares it.
        rx.el.input(type="hidden", name="tab", value=rx.State.router.session.client_token),
        rx.button("Log out", type="submit", variant=SECONDARY, size=BUTTON_SIZE, id="logout"),
        action=backend_url(routes.AUTH_LOGOUT),
        method="post",
    )


def user_menu() -> rx.Component:
    """The signed-in user's links: the console, the account page, the notes, the name and
    "Log out"."""
    return rx.el.nav(
        rx.hstack(
            rx.link("Home", href=routes.ADMIN, id="nav-home", size="2"),
            rx.link("Account", href=routes.ACCOUNT, id="nav-account", size="2"),
            rx.link("Notes", href=routes.NOTES, id="nav-notes", size="2"),
            rx.text(
                AuthState.user.username,  # type: ignore[union-attr]
                id="nav-username",
                size="2",
                weight="medium",
                # A long name is cut rather than pushing the page wider than a phone.
                max_width="12rem",
                overflow="hidden",
                text_overflow="ellipsis",
                white_space="nowrap",
            ),
            logout_form(),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        aria_label="Account",
        id="user-menu",
    )


def site_header(signed_in: rx.Var[bool] | None = None) -> rx.Component:
    """The header; with `signed_in`, the user menu shows while that is true.

    Below 48em (phones) the menu drops to its own row under the logo and the toggle.
    """
    menu = rx.cond(signed_in, user_menu()) if signed_in is not None else rx.fragment()
    return rx.el.header(
        rx.flex(
            brand(),
            rx.box(
                menu,
                order=_phone_then_desktop("3", "1"),
                width=_phone_then_desktop("100%", "auto"),
                margin_left=_phone_then_desktop("0", "auto"),
            ),
            rx.box(
                color_mode_toggle(),
                order="2",
                margin_left=_phone_then_desktop("auto", "0"),
            ),
            align="center",
            wrap="wrap",
            spacing="3",
            width="100%",
        ),
        padding=PAGE_PADDING,
        border_bottom="1px solid var(--gray-a5)",
        width="100%",
        id="site-header",
    )


def _phone_then_desktop(phone: str, desktop: str) -> list[str]:
    # Radix breakpoints: initial, xs (30em), sm (48em); from sm on it is the desktop layout.
    return [phone, phone, desktop]
