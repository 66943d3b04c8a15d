"""/account's "Add a passkey": the password (or a passkey), then a name, then the new passkey."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.components import webauthn_calls
from nfp_app.components.form_field import busy_button, credentials_form, error_callout, form_field
from nfp_app.components.looks import SECONDARY
from nfp_app.components.passkey_login import unsupported_callout
from nfp_app.security import policy
from nfp_app.services.passkey_manage import NAME_MAX_LENGTH
from nfp_app.state.account_passkey_add import (
    NAME,
    NAME_FIELD,
    PASSWORD,
    PASSWORD_FIELD,
    REAUTH,
    AddPasskeyState,
)


def cancel_button(on_click: Any, button_id: str) -> rx.Component:
    """A secondary "Cancel" that leaves a step."""
    return rx.button("Cancel", type="button", variant=SECONDARY, id=button_id, on_click=on_click)


def _password_step() -> rx.Component:
    return credentials_form(
        form_field(
            "Current password",
            PASSWORD_FIELD,
            input_type="password",
            autocomplete="current-password",
            visibility=AddPasskeyState,
            max_length=policy.PASSWORD_MAX_LENGTH,
        ),
        rx.hstack(
            busy_button(
                "Continue",
                "Checking…",
                AddPasskeyState.busy,
                button_id="passkey-reauth-password",
                type="submit",
            ),
            cancel_button(AddPasskeyState.cancel, "cancel-add-passkey"),
        ),
        on_submit=AddPasskeyState.confirm_password,
        form_id="passkey-password-form",
    )


def _reauth_step() -> rx.Component:
    return rx.vstack(
        rx.text("Confirm it is you with one of your passkeys first.", size="2"),
        rx.hstack(
            busy_button(
                "Confirm with a passkey",
                "Checking…",
                AddPasskeyState.busy,
                button_id="passkey-reauth",
                on_click=webauthn_calls.start_authentication(
                    AddPasskeyState.options, AddPasskeyState.finish_reauth
                ),
            ),
            cancel_button(AddPasskeyState.cancel, "cancel-add-passkey"),
        ),
    )


def _name_step() -> rx.Component:
    return credentials_form(
        form_field(
            "Name of the new passkey",
            NAME_FIELD,
            max_length=NAME_MAX_LENGTH,
            placeholder="e.g. Work laptop",
            required=False,
        ),
        rx.hstack(
            busy_button(
                "Create passkey",
                "Creating…",
                AddPasskeyState.busy,
                button_id="create-passkey",
                type="submit",
            ),
            cancel_button(AddPasskeyState.cancel, "cancel-add-passkey"),
        ),
        # The name goes to the server first; then the browser creates the passkey.
        on_submit=[
            AddPasskeyState.keep_name,
            webauthn_calls.start_registration(AddPasskeyState.options, AddPasskeyState.finish),
        ],
        form_id="passkey-name-form",
    )


def add_passkey_flow() -> rx.Component:
    """The "Add a passkey" button, or the step of the flow under way."""
    step = AddPasskeyState.step
    return rx.vstack(
        rx.match(
            step,
            (PASSWORD, _password_step()),
            (REAUTH, _reauth_step()),
            (NAME, _name_step()),
            busy_button(
                "Add a passkey",
                "Starting…",
                AddPasskeyState.busy,
                button_id="add-passkey",
                unavailable=~rx.Var.create(AddPasskeyState.supported),
                on_click=AddPasskeyState.start,
            ),
        ),
        error_callout(AddPasskeyState.error, callout_id="add-passkey-error"),
        unsupported_callout(AddPasskeyState.supported, callout_id="passkey-unsupported"),
        on_mount=webauthn_calls.check_support(AddPasskeyState.note_support),
        spacing="3",
        width="100%",
    )
