"""The page shown when rendering fails: the app's own look, no stack trace."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.looks import GAP, MUTED_TEXT

ERROR_HEADING = "Something went wrong"


def error_fallback() -> rx.Component:
    """What replaces the whole app after a rendering error.

    It sits outside the app's theme (Reflex's error boundary wraps it), so it brings its own.
    """
    return rx.theme(
        rx.el.main(
            rx.center(
                rx.card(
                    rx.vstack(
                        rx.hstack(
                            rx.el.img(src="/logo.svg", alt="", width="28", height="28"),
                            rx.text("nfp_app", size="4", weight="bold"),
                            align="center",
                            spacing="2",
                        ),
                        rx.heading(ERROR_HEADING, size="6", as_="h1"),
                        rx.text(
                            "The page could not be shown. Reloading it usually helps; "
                            "if it does not, start again from the home page.",
                            color=MUTED_TEXT,
                        ),
                        rx.hstack(
                            # Document loads, not client-side routing: a fresh page recovers.
                            # "" is this very address: following it reloads the page.
                            rx.link(
                                "Reload the page", href="", reload_document=True, id="error-reload"
                            ),
                            rx.link(
                                "Go to the home page",
                                href=routes.HOME,
                                reload_document=True,
                                id="error-home",
                            ),
                            spacing="4",
                            wrap="wrap",
                        ),
                        spacing=GAP,
                    ),
                    max_width="30rem",
                    width="100%",
                    size="3",
                ),
                min_height="100vh",
                padding="1rem",
            ),
            id="error-page",
        ),
        accent_color="indigo",
        has_background=True,
    )
