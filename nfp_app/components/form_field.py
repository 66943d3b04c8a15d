"""Labelled form inputs with an inline error line."""

from __future__ import annotations

from typing import Any, Literal

import reflex as rx


def field_error(message: rx.Var[str] | str, *, field_id: str) -> rx.Component:
    """The error text under a field, announced to screen readers."""
    return rx.cond(
        message != "",
        rx.text(message, color_scheme="red", size="2", id=f"{field_id}-error", role="alert"),
    )


def form_field(
    label: str,
    name: str,
    *,
    input_type: Literal["text", "password", "email"] = "text",
    error: rx.Var[str] | str = "",
    autocomplete: str = "off",
    required: bool = True,
    **input_props: Any,
) -> rx.Component:
    """A <label>, its input and its error line."""
    return rx.vstack(
        rx.el.label(label, html_for=name, font_weight="500", font_size="0.9rem"),
        rx.input(
            id=name,
            name=name,
            type=input_type,
            auto_complete=autocomplete,
            required=required,
            width="100%",
            **input_props,
        ),
        field_error(error, field_id=name),
        spacing="1",
        width="100%",
    )


def error_callout(message: rx.Var[str] | str, *, callout_id: str = "form-error") -> rx.Component:
    """A form-level error shown above the button."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", id=callout_id),
    )


def notice_callout(message: rx.Var[str] | str, *, callout_id: str = "notice") -> rx.Component:
    """A confirmation shown above a form (a changed password, a sent link)."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="info", color_scheme="green", role="status", id=callout_id),
    )


def credentials_form(*children: rx.Component, on_submit: Any) -> rx.Component:
    """An rx.form whose fields never land in a URL, even if submitted before the app loaded."""
    return rx.form(
        rx.vstack(*children, spacing="3", width="100%"),
        on_submit=on_submit,
        # Before hydration a native submit would be a GET with the password in the query string.
        method="post",
        width="100%",
    )


def submit_button(label: str, busy_label: str, busy: rx.Var[bool] | bool) -> rx.Component:
    """The form's button: busy while the server works, disabled until the app has loaded."""
    return rx.button(
        rx.cond(busy, busy_label, label),
        type="submit",
        loading=busy,
        disabled=rx.cond(rx.State.is_hydrated, False, True),
        width="100%",
        id="submit",
    )
