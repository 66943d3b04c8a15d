"""/signup's passkey form (PASSKEY_SIGNUP): username and email, then the passkey."""

from __future__ import annotations

import reflex as rx

from nfp_app.components import webauthn_calls
from nfp_app.components.form_field import (
    busy_button,
    credentials_form,
    error_callout,
    form_field,
    notice_callout,
    submit_button,
)
from nfp_app.components.looks import BUTTON_SIZE, SECONDARY
from nfp_app.components.passkey_login import unsupported_callout
from nfp_app.infra.settings import get_settings
from nfp_app.security import policy
from nfp_app.state.passkey_signup import PasskeySignupState

State = PasskeySignupState


def _details_form() -> rx.Component:
    verify_email = get_settings().require_email_verification
    return credentials_form(
        form_field(
            "Username",
            "passkey_username",
            autocomplete="username",
            max_length=policy.USERNAME_MAX_LENGTH,
        ),
        form_field(
            "Email" if verify_email else "Email (optional)",
            "passkey_email",
            input_type="email",
            autocomplete="email",
            required=verify_email,
            max_length=policy.EMAIL_MAX_LENGTH,
        ),
        submit_button("Continue", "Checking…", State.busy, button_id="passkey-signup-continue"),
        on_submit=State.begin,
        form_id="passkey-signup-form",
    )


def _create_step() -> rx.Component:
    return rx.vstack(
        rx.text("Now create the passkey that will sign you in.", size="2"),
        busy_button(
            "Create passkey",
            "Creating account…",
            State.busy,
            button_id="passkey-signup-create",
            unavailable=~rx.Var.create(State.supported),
            type="button",
            width="100%",
            on_click=webauthn_calls.start_registration(State.options, State.finish),
        ),
        rx.button(
            "Back",
            type="button",
            variant=SECONDARY,
            id="passkey-signup-back",
            on_click=State.cancel,
        ),
        spacing="3",
        width="100%",
    )


def passkey_signup_form() -> rx.Component:
    """Shown instead of the password form once chosen."""
    return rx.vstack(
        rx.cond(State.creating, _create_step(), _details_form()),
        error_callout(State.error, callout_id="passkey-signup-error"),
        notice_callout(State.notice, callout_id="passkey-signup-notice"),
        unsupported_callout(State.supported, callout_id="passkey-unsupported"),
        on_mount=webauthn_calls.check_support(State.note_support),
        spacing="3",
        width="100%",
    )


def passkey_signup_switch() -> rx.Component:
    """ "Sign up with a passkey" / "Use a password instead", when PASSKEY_SIGNUP is on."""
    return rx.cond(
        State.offered,
        rx.button(
            rx.cond(State.chosen, "Use a password instead", "Sign up with a passkey"),
            type="button",
            variant=SECONDARY,
            size=BUTTON_SIZE,
            width="100%",
            id="passkey-signup-switch",
            on_click=State.choose(~rx.Var.create(State.chosen)),
        ),
    )
