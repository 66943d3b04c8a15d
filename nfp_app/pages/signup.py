"""The /signup page."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.form_field import error_callout, form_field
from nfp_app.components.layout import auth_card
from nfp_app.security.policy import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from nfp_app.state.signup import SignupState


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
        rx.form(
            rx.vstack(
                form_field(
                    "Username",
                    "username",
                    autocomplete="username",
                    error=SignupState.username_error,
                    max_length=64,
                ),
                form_field(
                    "Email (optional)",
                    "email",
                    input_type="email",
                    autocomplete="email",
                    error=SignupState.email_error,
                    required=False,
                    max_length=254,
                ),
                form_field(
                    "Password",
                    "password",
                    input_type="password",
                    autocomplete="new-password",
                    error=SignupState.password_error,
                    max_length=PASSWORD_MAX_LENGTH,
                    on_change=SignupState.rate_password.debounce(250),
                ),
                strength_hint(),
                rx.text(
                    f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters; "
                    "a long phrase is easiest to remember.",
                    size="1",
                    color_scheme="gray",
                ),
                form_field(
                    "Confirm password",
                    "confirm",
                    input_type="password",
                    autocomplete="new-password",
                    error=SignupState.confirm_error,
                    max_length=PASSWORD_MAX_LENGTH,
                ),
                error_callout(SignupState.form_error),
                rx.button(
                    rx.cond(SignupState.busy, "Creating account…", "Create account"),
                    type="submit",
                    loading=SignupState.busy,
                    width="100%",
                    id="submit",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=SignupState.submit,
            width="100%",
        ),
        rx.text("Already registered? ", rx.link("Sign in", href="/login"), size="2"),
    )
