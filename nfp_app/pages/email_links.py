"""The pages that links in emails open: /verify-email and /wasnt-me, each one button."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app import routes
from nfp_app.components.form_field import busy_button, error_callout
from nfp_app.components.layout import auth_card
from nfp_app.state.verify_email import VerifyEmailState
from nfp_app.state.wasnt_me import WasntMeState


def _confirm_page(title: str, text: str, label: str, busy_label: str, state: Any) -> rx.Component:
    return auth_card(
        title,
        rx.text(text, size="2"),
        error_callout(state.error),
        busy_button(
            label,
            busy_label,
            state.busy,
            button_id="confirm",
            type="button",
            on_click=state.confirm,
            width="100%",
        ),
        rx.link("Back to sign in", href=routes.LOGIN, size="2"),
    )


def verify_email_page() -> rx.Component:
    """Confirm the address the link was sent to."""
    return _confirm_page(
        "Confirm your email",
        "Press the button to confirm that this address is yours.",
        "Confirm my email",
        "Confirming…",
        VerifyEmailState,
    )


def wasnt_me_page() -> rx.Component:
    """End every session after a sign-in the owner did not make."""
    return _confirm_page(
        "That wasn't you?",
        "The button signs out every session of your account, on every device, and sends you a "
        "link to choose a new password.",
        "Sign out everywhere and reset my password",
        "Signing out…",
        WasntMeState,
    )
