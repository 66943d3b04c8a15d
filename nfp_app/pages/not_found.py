"""The page for any unknown path, in the app's frame."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.layout import auth_card
from nfp_app.components.looks import MUTED_TEXT

NOT_FOUND_HEADING = "Page not found"


def not_found_page() -> rx.Component:
    """A heading, a short message and the way home."""
    return auth_card(
        NOT_FOUND_HEADING,
        rx.text(
            "There is no page at this address. It may have moved, or the link may be mistyped.",
            color=MUTED_TEXT,
            id="not-found-message",
        ),
        rx.link("Go to the home page", href=routes.HOME, id="not-found-home"),
    )
