"""A password input with a real "Show password" button next to it."""

from __future__ import annotations

from typing import Any

import reflex as rx


def toggle_id(field_id: str) -> str:
    """The id of the show/hide button of password field `field_id`."""
    return f"{field_id}-toggle"


def password_input(field_id: str, visibility: Any, **props: Any) -> rx.Component:
    """The input keeps its element and value; only its `type` follows the toggle.

    `visibility` mixes in PasswordVisibility; the typed password never reaches the state.
    """
    shown = visibility.shown_passwords.contains(field_id)
    return rx.hstack(
        rx.input(type=rx.cond(shown, "text", "password"), width="100%", **props),
        rx.button(
            rx.cond(shown, "Hide", "Show"),
            type="button",
            variant="soft",
            id=toggle_id(field_id),
            aria_pressed=rx.cond(shown, "true", "false"),
            aria_controls=field_id,
            aria_label=rx.cond(shown, "Hide password", "Show password"),
            on_click=visibility.toggle_password(field_id),
        ),
        spacing="2",
        width="100%",
        align="center",
    )
