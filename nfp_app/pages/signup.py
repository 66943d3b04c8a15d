"""The /signup page."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.form_field import (
    credentials_form,
    error_callout,
    form_field,
    notice_callout,
    submit_button,
)
from nfp_app.components.layout import auth_card
from nfp_app.components.passkey_signup import passkey_signup_form, passkey_signup_switch
from nfp_app.components.password_fields import new_password_fields
from nfp_app.infra.settings import get_settings
from nfp_app.security import policy
from nfp_app.state.passkey_signup import PasskeySignupState
from nfp_app.state.signup import SignupState


def signup_page() -> rx.Component:
    """Username, email (required with REQUIRE_EMAIL_VERIFICATION), password twice."""
    verify_email = get_settings().require_email_verification
    password_form = credentials_form(
        form_field(
            "Username",
            "username",
            autocomplete="username",
            error=SignupState.username_error,
            max_length=policy.USERNAME_MAX_LENGTH,
        ),
        form_field(
            "Email" if verify_email else "Email (optional)",
            "email",
            input_type="email",
            autocomplete="email",
            error=SignupState.email_error,
            required=verify_email,
            max_length=policy.EMAIL_MAX_LENGTH,
        ),
        *new_password_fields(
            SignupState,
            password_error=SignupState.password_error,
            confirm_error=SignupState.confirm_error,
        ),
        error_callout(SignupState.form_error),
        notice_callout(SignupState.form_notice),
        submit_button("Create account", "Creating account…", SignupState.busy),
        on_submit=SignupState.submit,
        form_id="signup-form",
    )
    return auth_card(
        "Create an account",
        rx.cond(PasskeySignupState.chosen, passkey_signup_form(), password_form),
        passkey_signup_switch(),
        rx.text(
            "Already registered? ",
            rx.link("Sign in", href=routes.LOGIN, id="login-link", underline="always"),
            size="2",
        ),
    )
