"""/account's "Passkeys" section: the list (rename, remove) and "Add a passkey"."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.account_passkey_add import add_passkey_flow, cancel_button
from nfp_app.components.form_field import (
    busy_button,
    credentials_form,
    error_callout,
    form_field,
    notice_callout,
)
from nfp_app.components.layout import card_section
from nfp_app.components.looks import SECONDARY
from nfp_app.components.tables import data_table
from nfp_app.services.passkey_manage import NAME_MAX_LENGTH
from nfp_app.state.account_passkeys import AccountPasskeysState
from nfp_app.state.passkey_rows import PasskeyRow

State = AccountPasskeysState


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
            cancel_button(State.cancel, "cancel-rename"),
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
        cancel_button(State.cancel, "cancel-remove"),
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
        add_passkey_flow(),
        section_id="passkeys",
    )
