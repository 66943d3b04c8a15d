"""The /account page: profile and email, password, two-factor, sessions, history, and deletion."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.account_forms import (
    delete_section,
    email_section,
    password_or_set_password,
)
from nfp_app.components.account_mfa import mfa_section
from nfp_app.components.account_passkeys import passkeys_section
from nfp_app.components.account_tables import events_section, profile_section, sessions_section
from nfp_app.components.layout import signed_in_frame
from nfp_app.components.mfa_required_callout import mfa_required_callout


def account_page() -> rx.Component:
    """Protected: nothing below renders until AuthState confirms the session."""
    return signed_in_frame(
        rx.vstack(
            rx.heading("Your account", size="6", as_="h1"),
            mfa_required_callout(),
            profile_section(),
            email_section(),
            password_or_set_password(),
            passkeys_section(),
            mfa_section(),
            sessions_section(),
            events_section(),
            delete_section(),
            spacing="4",
            width="100%",
            max_width="60rem",
            padding="1rem",
            margin_x="auto",
        ),
    )
