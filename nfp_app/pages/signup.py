"""The /signup page."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.form_field import (
    credentials_form,
    error_callout,
    form_field,
    submit_button,
)
from nfp_app.components.layout import auth_card
from nfp_app.infra.settings import get_settings
from nfp_app.security import policy
from nfp_app.state.signup import RATE_DEBOUNCE_MS, SignupState


def strength_hint() -> rx.Component:
    """A live bar and word for the password's strength."""
    return rx.cond(
        SignupState.strength_label != "",
        rx.hstack(
            rx.progress(value=SignupState.strength_score * 25, max=100, width="8rem"),
            rx.text(SignupState.strength_label, size="2", id="strength-label"),
            align="center",
            spacing="2",
        ),
    )


def signup_page() -> rx.Component:
    """Username, optional email, password twice; errors inline."""
    return auth_card(
        "Create an account",
        credentials_form(
            form_field(
                "Username",
                "username",
                autocomplete="username",
                error=SignupState.username_error,
                max_length=policy.USERNAME_MAX_LENGTH,
            ),
            form_field(
                "Email (optional)",
                "email",
                input_type="email",
                autocomplete="email",
                error=SignupState.email_error,
                required=False,
                max_length=policy.EMAIL_MAX_LENGTH,
            ),
            form_field(
                "Password",
                "password",
                input_type="password",
                autocomplete="new-password",
                error=SignupState.password_error,
                max_length=policy.PASSWORD_MAX_LENGTH,
                on_change=SignupState.rate_password.debounce(RATE_DEBOUNCE_MS),
            ),
            strength_hint(),
            rx.text(
                f"{get_settings().password_min_length} to {policy.PASSWORD_MAX_LENGTH} characters, "
                "spaces allowed; a long phrase is easiest to remember. "
                "Common passwords and your username are refused.",
                size="1",
                color_scheme="gray",
            ),
            form_field(
                "Confirm password",
                "confirm",
                input_type="password",
                autocomplete="new-password",
                error=SignupState.confirm_error,
                max_length=policy.PASSWORD_MAX_LENGTH,
            ),
            error_callout(SignupState.form_error),
            submit_button("Create account", "Creating account…", SignupState.busy),
            on_submit=SignupState.submit,
        ),
        rx.text("Already registered? ", rx.link("Sign in", href=routes.LOGIN), size="2"),
    )
