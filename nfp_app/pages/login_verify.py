"""The /login/verify page: the second step of a sign-in with two-factor authentication."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components import webauthn_calls
from nfp_app.components.form_field import (
    busy_button,
    credentials_form,
    error_callout,
    form_field,
    submit_button,
)
from nfp_app.components.layout import auth_card
from nfp_app.components.looks import BUTTON_SIZE, SECONDARY
from nfp_app.components.passkey_login import unsupported_callout
from nfp_app.state.login_verify import CODE_FIELD, RECOVERY_FIELD, LoginVerifyState
from nfp_app.state.passkey_second_factor import PasskeySecondFactorState

HINT_ID = "verify-hint"
# A code pasted with a space or a dash in the middle still fits.
CODE_MAX_LENGTH = 16
RECOVERY_MAX_LENGTH = 64  # five groups of five with dashes (29), and room for spaces


def _code_field() -> rx.Component:
    return form_field(
        "Authentication code",
        CODE_FIELD,
        autocomplete="one-time-code",
        error=LoginVerifyState.code_error,
        described_by=(HINT_ID,),
        input_mode="numeric",
        max_length=CODE_MAX_LENGTH,
        placeholder="123456",
        # Mounted once on_load found the challenge, or when the form switches to it.
        auto_focus=True,
    )


def _recovery_field() -> rx.Component:
    return form_field(
        "Recovery code",
        RECOVERY_FIELD,
        autocomplete="off",
        error=LoginVerifyState.code_error,
        described_by=(HINT_ID,),
        max_length=RECOVERY_MAX_LENGTH,
        spell_check=False,
        placeholder="abcde-fghjk-mnpqr-stvwx-yz012",
        auto_focus=True,
    )


def _passkey_option() -> rx.Component:
    """For an account with passkeys: one of them instead of a code."""
    state = PasskeySecondFactorState
    return rx.cond(
        state.available,
        rx.vstack(
            busy_button(
                "Use a passkey",
                "Verifying…",
                state.busy,
                button_id="use-passkey",
                unavailable=~rx.Var.create(state.supported),
                type="button",
                size=BUTTON_SIZE,
                width="100%",
                on_click=webauthn_calls.start_authentication(state.options, state.finish),
            ),
            error_callout(state.error, callout_id="passkey-error"),
            unsupported_callout(state.supported, callout_id="passkey-unsupported"),
            rx.text("Or enter a code:", size="2"),
            on_mount=webauthn_calls.check_support(state.note_support),
            spacing="3",
            width="100%",
        ),
    )


def _form() -> rx.Component:
    recovery = LoginVerifyState.use_recovery
    return rx.vstack(
        _passkey_option(),
        rx.text(
            rx.cond(
                recovery,
                "Enter one of the recovery codes you saved when you turned on two-step "
                "verification. Each code works once.",
                "Enter the 6-digit code from your authenticator app.",
            ),
            size="2",
            id=HINT_ID,
        ),
        credentials_form(
            rx.cond(recovery, _recovery_field(), _code_field()),
            error_callout(LoginVerifyState.error),
            submit_button("Verify", "Verifying…", LoginVerifyState.busy),
            on_submit=LoginVerifyState.submit,
            form_id="verify-form",
        ),
        rx.button(
            rx.cond(recovery, "Use your authenticator app instead", "Use a recovery code instead"),
            type="button",
            variant=SECONDARY,
            size=BUTTON_SIZE,
            id="switch-mode",
            on_click=LoginVerifyState.switch_mode,
        ),
        rx.link("Start again", href=routes.LOGIN, id="restart-link", size="2"),
        spacing="3",
        width="100%",
    )


def login_verify_page() -> rx.Component:
    """A code from the authenticator app, or a recovery code; shown only for a pending sign-in."""
    return auth_card(
        "Two-step verification",
        rx.cond(
            rx.State.is_hydrated & LoginVerifyState.pending,
            _form(),
            rx.center(rx.spinner(size="3"), width="100%", id="verify-check"),
        ),
    )
