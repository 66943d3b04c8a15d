"""A confirmation dialog that asks for the reason an administrator's action goes on record."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.components.form_field import busy_button
from nfp_app.services.admin_actions import REASON_MAX_LENGTH


def reason_field() -> rx.Component:
    """The required, one-paragraph reason (the audit log keeps it with the change)."""
    return rx.vstack(
        rx.el.label("Reason", html_for="reason-input", font_weight="500", font_size="0.9rem"),
        rx.text_area(
            id="reason-input",
            name="reason",
            required=True,
            max_length=REASON_MAX_LENGTH,
            placeholder="Why? The audit log keeps this with the change.",
            width="100%",
            # Reflex types TextArea.auto_complete as a bool; the HTML attribute takes "off".
            custom_attrs={"autoComplete": "off"},
            auto_focus=True,
        ),
        spacing="1",
        width="100%",
    )


def reason_dialog(
    trigger: rx.Component,
    title: str,
    description: rx.Var[str] | str,
    on_submit: Any,
    dialog_id: rx.Var[str] | str,
    *,
    open_dialog: rx.Var[str] | str,
    on_open_change: Any,
    refusal: rx.Var[str] | str = "",
    hidden: dict[str, Any] | None = None,
    confirm_label: str = "Confirm",
    busy: rx.Var[bool] | bool = False,
) -> rx.Component:
    """`trigger` opens a dialog whose form sends `reason` (and the `hidden` fields) to `on_submit`.

    The dialog is open while `open_dialog` equals `dialog_id`; `on_open_change` gets the new
    open state. `refusal` is shown inside it, so a refused action can be corrected in place.
    Only one dialog is open at a time, so the ids inside it (reason-input, confirm-action,
    cancel-action, dialog-refusal) are unique on the page.
    """
    fields = [
        # No id: an id becomes a ref in the built JavaScript, and a name like session_id there
        # would look like a leaked server-side var (tests/security sec08).
        rx.el.input(type="hidden", name=name, value=value)
        for name, value in (hidden or {}).items()
    ]
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description, size="2", margin_bottom="1rem"),
            rx.form(
                rx.vstack(
                    *fields,
                    reason_field(),
                    rx.cond(
                        refusal != "",
                        rx.callout(
                            refusal,
                            icon="triangle_alert",
                            color_scheme="red",
                            role="alert",
                            id="dialog-refusal",
                            width="100%",
                        ),
                    ),
                    rx.hstack(
                        rx.alert_dialog.cancel(
                            rx.button("Cancel", type="button", variant="soft", id="cancel-action"),
                        ),
                        busy_button(
                            confirm_label,
                            "Working…",
                            busy,
                            button_id="confirm-action",
                            type="submit",
                            color_scheme="red",
                            high_contrast=True,
                        ),
                        justify="end",
                        spacing="3",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
                method="post",
                width="100%",
            ),
            max_width="30rem",
            id="reason-dialog",
        ),
        open=rx.Var.create(open_dialog) == dialog_id,
        on_open_change=on_open_change,
    )
