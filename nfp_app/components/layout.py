"""Page frames: the header and <main> of every page, the auth card and the signed-in frame."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.cookie_beacon import cookie_beacon
from nfp_app.components.header import site_header
from nfp_app.components.looks import GAP, LINKS_IN_TEXT, PAGE_PADDING, SKIP_LINK
from nfp_app.state.auth import AuthState


def page_frame(*children: rx.Component, signed_in: rx.Var[bool] | None = None) -> rx.Component:
    """The frame of every page: the header, then `children` in the page's <main>."""
    return rx.box(
        cookie_beacon(),
        # The first Tab stop: past the header's links, straight to the page (WCAG 2.4.1).
        # Focus moves in the browser (set_focus runs there); following the #main link instead
        # would be a client-side navigation that leaves the focus at the top.
        rx.el.a(
            "Skip to content",
            href="#main",
            id="skip-link",
            style=SKIP_LINK,
            on_click=[rx.prevent_default, rx.set_focus("main")],
        ),
        site_header(signed_in),
        # Focusable from the skip link only (-1), and without a ring: it is not a control.
        rx.el.main(
            *children, width="100%", id="main", tab_index=-1, style={"&:focus": {"outline": "none"}}
        ),
        width="100%",
        min_height="100vh",
        style=LINKS_IN_TEXT,
    )


def auth_card(title: str, *children: rx.Component) -> rx.Component:
    """The shared card of the signed-out pages (sign-in, signup, password and email links)."""
    return page_frame(
        rx.center(
            rx.card(
                rx.vstack(
                    rx.heading(title, size="6", as_="h1"),
                    *children,
                    spacing=GAP,
                    width="100%",
                ),
                width="100%",
                max_width="26rem",
                size="3",
            ),
            padding=PAGE_PADDING,
            padding_top="2rem",
        ),
    )


def signed_in_frame(*children: rx.Component) -> rx.Component:
    """Shows its children only once the server has confirmed the session."""
    # A stored snapshot arrives with is_hydrated false; show nothing until on_load ran.
    confirmed = rx.State.is_hydrated & AuthState.is_authenticated
    return page_frame(
        rx.cond(
            confirmed,
            rx.vstack(*children, width="100%", spacing="0"),
            # Only on a live, hydrated page: a reload runs its own check (and clears the flag).
            rx.cond(
                rx.State.is_hydrated & AuthState.signed_out_elsewhere,
                _signed_out_notice(),
                _checking(),
            ),
        ),
        signed_in=confirmed,
    )


def _signed_out_notice() -> rx.Component:
    # Appears when the server pushes a sign-out; its mount takes the tab to the sign-in page.
    return rx.center(
        rx.text("You were signed out: your session ended elsewhere."),
        min_height="50vh",
        id="signed-out",
        on_mount=AuthState.leave_signed_out_page,
    )


def _checking() -> rx.Component:
    return rx.center(
        rx.spinner(size="3"),
        rx.text("Checking your session…"),
        min_height="50vh",
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
