"""/account's "Passkeys" section: the list (rename, remove) and "Add a passkey"."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.components import webauthn_calls
from nfp_app.components.form_field import (
    busy_button,
    credentials_form,
    error_callout,
    form_field,
    notice_callout,
)
from nfp_app.components.layout import card_section
from nfp_app.components.looks import SECONDARY
from nfp_app.components.passkey_login import unsupported_callout
from nfp_app.components.tables import data_table
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
from nfp_app.state.account_passkeys import AccountPasskeysState
from nfp_app.state.passkey_rows import PasskeyRow

State = AccountPasskeysState


def _cancel(on_click: Any, button_id: str) -> rx.Component:
    return rx.button("Cancel", type="button", variant=SECONDARY, id=button_id, on_click=on_click)


def _rename_form(row: rx.vars.ObjectVar[PasskeyRow]) -> rx.Component:
    return credentials_form(
        form_field(
            "New name",
            "passkey_name",
            max_length=NAME_MAX_LENGTH,
            default_value=row.name,
        ),
        rx.hstack(
            busy_button(
                "Save", "Saving…", State.busy, button_id="save-passkey-name", type="submit"
            ),
            _cancel(State.cancel, "cancel-rename"),
        ),
        on_submit=State.rename,
        form_id="rename-passkey-form",
    )


def _remove_confirmation(row: rx.vars.ObjectVar[PasskeyRow]) -> rx.Component:
    return rx.hstack(
        rx.text("Remove “", row.name, "”?", size="2"),
        busy_button(
            "Remove",
            "Removing…",
            State.busy,
            button_id="confirm-remove-passkey",
            color_scheme="red",
            on_click=State.remove,
        ),
        _cancel(State.cancel, "cancel-remove"),
        align="center",
        wrap="wrap",
    )


def _actions(row: rx.vars.ObjectVar[PasskeyRow]) -> rx.Component:
    return rx.hstack(
        rx.button(
            "Rename",
            size="1",
            variant=SECONDARY,
            id="rename-passkey-" + row.id.to_string(),
            aria_label=rx.Var.create("Rename the passkey ") + row.name.to(str),
            on_click=State.start_rename(row.id),
        ),
        rx.button(
            "Remove",
            size="1",
            variant=SECONDARY,
            color_scheme="red",
            id="remove-passkey-" + row.id.to_string(),
            aria_label=rx.Var.create("Remove the passkey ") + row.name.to(str),
            on_click=State.ask_remove(row.id),
        ),
    )


def _row(row: rx.vars.ObjectVar[PasskeyRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.text(row.name, class_name="passkey-name"),
                rx.cond(row.synced, rx.badge("Synced", color_scheme="blue", high_contrast=True)),
                spacing="2",
            )
        ),
        rx.table.cell(row.created),
        rx.table.cell(row.last_used),
        rx.table.cell(
            rx.cond(
                State.renaming == row.id,
                _rename_form(row),
                rx.cond(State.removing == row.id, _remove_confirmation(row), _actions(row)),
            )
        ),
    )


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
            _cancel(AddPasskeyState.cancel, "cancel-add-passkey"),
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
            _cancel(AddPasskeyState.cancel, "cancel-add-passkey"),
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
            _cancel(AddPasskeyState.cancel, "cancel-add-passkey"),
        ),
        # The name goes to the server first; then the browser creates the passkey.
        on_submit=[
            AddPasskeyState.keep_name,
            webauthn_calls.start_registration(AddPasskeyState.options, AddPasskeyState.finish),
        ],
        form_id="passkey-name-form",
    )


def _add_flow() -> rx.Component:
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


def passkeys_section() -> rx.Component:
    """Sign in without a password: the user's passkeys, and a way to add one."""
    return card_section(
        "Passkeys",
        rx.text(
            "A passkey signs you in with your device's screen lock instead of a password.",
            size="2",
        ),
        rx.cond(
            State.passkeys.length() > 0,  # type: ignore[attr-defined]
            data_table(
                ("Name", "Created", "Last used", "Actions"),
                rx.table.body(rx.foreach(State.passkeys, _row)),
                "passkeys-table",
            ),
            rx.text("You have no passkeys yet.", size="2", id="no-passkeys"),
        ),
        error_callout(State.error, callout_id="passkeys-error"),
        notice_callout(State.notice, callout_id="passkeys-notice"),
        _add_flow(),
        section_id="passkeys",
    )
