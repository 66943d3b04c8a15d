"""The /reset-password page that the emailed link opens."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.form_field import credentials_form, error_callout, submit_button
from nfp_app.components.layout import auth_card
from nfp_app.components.password_fields import new_password_fields
from nfp_app.state.reset_password import ResetPasswordState


def _invalid_link() -> rx.Component:
    return rx.vstack(
        error_callout(ResetPasswordState.link_error),
        rx.link("Ask for a new link", href=routes.FORGOT_PASSWORD, id="new-link"),
        spacing="3",
    )


def reset_password_page() -> rx.Component:
    """A new password twice, or why the link no longer works."""
    return auth_card(
        "Choose a new password",
        rx.cond(
            ResetPasswordState.checked,
            rx.cond(
                ResetPasswordState.link_ok,
                credentials_form(
                    *new_password_fields(
                        ResetPasswordState,
                        label="New password",
                        password_error=ResetPasswordState.password_error,
                        confirm_error=ResetPasswordState.confirm_error,
                    ),
                    submit_button("Set the password", "Saving…", ResetPasswordState.busy),
                    on_submit=ResetPasswordState.submit,
                    form_id="reset-form",
                ),
                _invalid_link(),
            ),
            rx.spinner(size="3"),
        ),
    )
