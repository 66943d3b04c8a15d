"""The forms of /account: change email, change (or set) the password, delete the account."""

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
from nfp_app.components.layout import card_section
from nfp_app.components.password_fields import new_password_fields
from nfp_app.security import policy
from nfp_app.state.account import AccountState
from nfp_app.state.account_passkeys import AccountPasskeysState
from nfp_app.state.account_password import AccountPasswordState
from nfp_app.state.account_set_password import SetPasswordState
from nfp_app.state.auth import AuthState


def email_section() -> rx.Component:
    """A new address, confirmed with the password."""
    return card_section(
        "Change email",
        credentials_form(
            form_field(
                "New email",
                "new_email",
                input_type="email",
                autocomplete="email",
                max_length=policy.EMAIL_MAX_LENGTH,
            ),
            form_field(
                "Current password",
                "email_password",
                input_type="password",
                autocomplete="current-password",
                visibility=AccountState,
                max_length=policy.PASSWORD_MAX_LENGTH,
            ),
            error_callout(AccountState.email_error, callout_id="email-error"),
            notice_callout(AccountState.email_notice, callout_id="email-notice"),
            busy_button(
                "Change email",
                "Changing…",
                AccountState.email_busy,
                button_id="change-email",
                type="submit",
            ),
            on_submit=AccountState.change_email,
            form_id="email-form",
        ),
        section_id="email-section",
    )


def _whose_password() -> rx.Component:
    """The signed-in username, unseen, so a password manager knows which login changed."""
    return rx.el.input(
        type="text",
        name="username",
        id="change-username",
        auto_complete="username",
        value=AuthState.user.username,  # type: ignore[union-attr]
        read_only=True,
        hidden=True,
    )


def password_section() -> rx.Component:
    """Current password, then the new one twice, with the strength hint."""
    return card_section(
        "Change password",
        credentials_form(
            _whose_password(),
            form_field(
                "Current password",
                "current",
                input_type="password",
                autocomplete="current-password",
                error=AccountPasswordState.current_error,
                visibility=AccountPasswordState,
                max_length=policy.PASSWORD_MAX_LENGTH,
            ),
            *new_password_fields(
                AccountPasswordState,
                label="New password",
                password_error=AccountPasswordState.password_error,
                confirm_error=AccountPasswordState.confirm_error,
            ),
            notice_callout(AccountPasswordState.notice, callout_id="password-notice"),
            submit_button("Change password", "Changing…", AccountPasswordState.busy),
            on_submit=AccountPasswordState.submit,
            form_id="password-form",
        ),
        section_id="password-section",
    )


def delete_section() -> rx.Component:
    """Delete the account, after the password and the typed username."""
    return card_section(
        "Delete account",
        rx.text(
            "This deletes your account and signs out every session. It cannot be undone.",
            size="2",
        ),
        credentials_form(
            form_field(
                "Password",
                "delete_password",
                input_type="password",
                autocomplete="current-password",
                visibility=AccountState,
                max_length=policy.PASSWORD_MAX_LENGTH,
            ),
            form_field(
                "Type your username to confirm",
                "delete_confirmation",
                autocomplete="off",
                max_length=policy.USERNAME_INPUT_MAX,
            ),
            error_callout(AccountState.delete_error, callout_id="delete-error"),
            busy_button(
                "Delete my account",
                "Deleting…",
                AccountState.delete_busy,
                button_id="delete",
                type="submit",
                color_scheme="red",
                high_contrast=True,
            ),
            on_submit=AccountState.delete_account,
            form_id="delete-form",
        ),
        section_id="delete-section",
    )


def set_password_section() -> rx.Component:
    """For an account without a password: a passkey confirms the user, then the new one."""
    state = SetPasswordState
    start = busy_button(
        "Set a password",
        "Starting…",
        state.busy,
        button_id="set-password",
        on_click=state.start,
    )
    reauth = rx.hstack(
        busy_button(
            "Confirm with a passkey",
            "Checking…",
            state.busy,
            button_id="set-password-reauth",
            on_click=webauthn_calls.start_authentication(state.options, state.finish_reauth),
        ),
        rx.button(
            "Cancel", type="button", variant="soft", id="cancel-set-password", on_click=state.cancel
        ),
    )
    form = credentials_form(
        _whose_password(),
        *new_password_fields(
            state,
            label="New password",
            password_error=state.password_error,
            confirm_error=state.confirm_error,
        ),
        submit_button("Set password", "Setting…", state.busy),
        on_submit=state.submit,
        form_id="set-password-form",
    )
    return card_section(
        "Set a password",
        rx.text(
            "Your account signs in with passkeys only. A password lets you sign in where "
            "your passkeys are not available.",
            size="2",
        ),
        rx.box(rx.match(state.step, ("reauth", reauth), ("password", form), start), width="100%"),
        error_callout(state.error, callout_id="set-password-error"),
        section_id="password-section",
    )


def password_or_set_password() -> rx.Component:
    """ "Change password", or "Set a password" for an account that has none."""
    return rx.cond(AccountPasskeysState.has_password, password_section(), set_password_section())
