"""The /forgot-password page."""

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
from nfp_app.security import policy
from nfp_app.state.forgot_password import SENT, ForgotPasswordState


def forgot_password_page() -> rx.Component:
    """A username or an email; the same confirmation whatever happens next."""
    return auth_card(
        "Forgot your password?",
        rx.cond(
            ForgotPasswordState.sent,
            notice_callout(SENT),
            credentials_form(
                rx.text(
                    "Enter your username or email address. If the account has an email, "
                    "a link to choose a new password goes there.",
                    size="2",
                ),
                form_field(
                    "Username or email",
                    "identifier",
                    autocomplete="username",
                    max_length=policy.EMAIL_INPUT_MAX,
                ),
                error_callout(ForgotPasswordState.error),
                submit_button("Send the link", "Sending…", ForgotPasswordState.busy),
                on_submit=ForgotPasswordState.submit,
                form_id="forgot-form",
            ),
        ),
        rx.link("Back to sign in", href=routes.LOGIN, size="2"),
    )
