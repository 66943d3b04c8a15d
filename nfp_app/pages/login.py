"""The /login page."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.form_field import (
    busy_button,
    credentials_form,
    error_callout,
    form_field,
    notice_callout,
    submit_button,
)
from nfp_app.components.layout import auth_card
from nfp_app.components.passkey_login import passkey_sign_in
from nfp_app.infra.settings import get_settings
from nfp_app.security import policy
from nfp_app.state.login import LoginState


def login_page() -> rx.Component:
    """Username, password, remember me, and a link to sign up."""
    return auth_card(
        "Sign in",
        notice_callout(LoginState.notice),
        credentials_form(
            form_field(
                "Username",
                "username",
                # "webauthn": the browser offers saved passkeys in this field's autofill.
                autocomplete="username webauthn",
                max_length=policy.USERNAME_INPUT_MAX,
            ),
            form_field(
                "Password",
                "password",
                input_type="password",
                autocomplete="current-password",
                visibility=LoginState,
                max_length=policy.PASSWORD_MAX_LENGTH,
            ),
            rx.el.label(
                rx.hstack(
                    rx.checkbox(name="remember_me", id="remember_me"),
                    rx.text(f"Remember me for {get_settings().remember_me_days} days", size="2"),
                    align="center",
                ),
                html_for="remember_me",
            ),
            error_callout(LoginState.error),
            rx.cond(
                LoginState.can_resend,
                busy_button(
                    "Send the confirmation link again",
                    "Sending…",
                    LoginState.resending,
                    button_id="resend-verification",
                    type="button",
                    variant="soft",
                    on_click=LoginState.resend_verification,
                ),
            ),
            submit_button("Sign in", "Signing in…", LoginState.busy),
            on_submit=LoginState.submit,
            form_id="login-form",
        ),
        passkey_sign_in(),
        rx.link("Forgot your password?", href=routes.FORGOT_PASSWORD, id="forgot-link", size="2"),
        rx.text(
            "No account yet? ",
            rx.link("Create one", href=routes.SIGNUP, id="signup-link", underline="always"),
            size="2",
        ),
    )
