"""The /notes page: the signed-in user's own notes."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.layout import signed_in_frame
from nfp_app.components.notes import add_section, notes_list


def notes_page() -> rx.Component:
    """Protected: nothing below renders until AuthState confirms the session."""
    return signed_in_frame(
        rx.vstack(
            rx.heading("Your notes", size="6", as_="h1"),
            add_section(),
            notes_list(),
            spacing="4",
            width="100%",
            max_width="60rem",
            padding="1rem",
            margin_x="auto",
        ),
    )
