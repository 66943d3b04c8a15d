"""The /login page."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.form_field import (
    credentials_form,
    error_callout,
    form_field,
    submit_button,
)
from nfp_app.components.layout import auth_card
from nfp_app.state.login import LoginState


def login_page() -> rx.Component:
    """Username, password, remember me, and a link to sign up."""
    return auth_card(
        "Sign in",
        credentials_form(
            form_field("Username", "username", autocomplete="username", max_length=256),
            form_field(
                "Password",
                "password",
                input_type="password",
                autocomplete="current-password",
                max_length=1024,
            ),
            rx.el.label(
                rx.hstack(
                    rx.checkbox(name="remember_me", id="remember_me"),
                    rx.text("Remember me for 30 days", size="2"),
                    align="center",
                ),
                html_for="remember_me",
            ),
            error_callout(LoginState.error),
            submit_button("Sign in", "Signing in…", LoginState.busy),
            on_submit=LoginState.submit,
        ),
        rx.text(
            "No account yet? ",
            rx.link("Create one", href="/signup", id="signup-link"),
            size="2",
        ),
    )
