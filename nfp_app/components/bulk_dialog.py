"""Bulk actions on the selected rows of the user list, each confirmed with a reason."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.form_field import busy_button, error_callout
from nfp_app.components.reason_dialog import reason_field
from nfp_app.state.admin_users import AdminUsersState


def bulk_bar() -> rx.Component:
    """The bulk buttons and what the last bulk action did."""
    state = AdminUsersState
    return rx.vstack(
        rx.hstack(
            rx.button(
                "Disable selected",
                id="bulk-disable",
                on_click=state.ask_bulk("disable"),
                color_scheme="red",
                variant="soft",
            ),
            rx.button(
                "Revoke sessions of selected",
                id="bulk-revoke",
                on_click=state.ask_bulk("revoke"),
                variant="soft",
            ),
            spacing="2",
            wrap="wrap",  # one under the other on a phone
        ),
        rx.cond(
            state.bulk_message != "",
            rx.callout(state.bulk_message, icon="info", role="status", id="bulk-message"),
        ),
        width="100%",
    )


def bulk_dialog() -> rx.Component:
    """The confirmation of a bulk action: the reason goes into every account's audit entry."""
    state = AdminUsersState
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(
                rx.cond(
                    state.bulk_action == "disable",
                    "Disable the selected accounts?",
                    "End every session of the selected accounts?",
                )
            ),
            rx.dialog.description(
                "Give a reason: it is written to the audit log of each account.", size="2"
            ),
            rx.form(
                rx.vstack(
                    reason_field(),
                    error_callout(state.bulk_error, callout_id="bulk-error"),
                    rx.hstack(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft")),
                        busy_button(
                            "Confirm",
                            "Working…",
                            state.bulk_busy,
                            button_id="confirm-bulk",
                            type="submit",
                            color_scheme="red",
                            high_contrast=True,
                        ),
                        justify="end",
                        width="100%",
                    ),
                    spacing="3",
                    margin_top="0.75rem",
                ),
                on_submit=state.confirm_bulk,
                method="post",
            ),
        ),
        open=state.bulk_action != "",
        on_open_change=state.dialog_open_change,
    )
