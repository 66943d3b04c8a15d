"""Labelled form inputs with an inline error line, described to screen readers."""

from __future__ import annotations

from typing import Any, Literal

import reflex as rx

from nfp_app.components.password_toggle import password_input

Autocomplete = Literal[
    "off",
    "username",
    "username webauthn",
    "email",
    "current-password",
    "new-password",
    "one-time-code",
]


def error_id(field_id: str) -> str:
    """The id of a field's error line (the input's aria-describedby names it)."""
    return f"{field_id}-error"


def field_error(message: rx.Var[str] | str, *, field_id: str) -> rx.Component:
    """The error text under a field; the input is described by it, so focus reads it out."""
    return rx.cond(
        message != "",
        rx.text(message, color_scheme="red", size="2", id=error_id(field_id)),
    )


def _described_by(field_id: str, error: rx.Var[str] | str, hints: tuple[str, ...]) -> Any:
    """aria-describedby: the error line while there is one, then the hints."""
    hint_ids = " ".join(hints)
    with_error = " ".join((error_id(field_id), *hints))
    if isinstance(error, str):
        return with_error if error else (hint_ids or None)
    return rx.cond(error != "", with_error, hint_ids)


def form_field(
    label: str,
    name: str,
    *,
    input_type: Literal["text", "password", "email"] = "text",
    error: rx.Var[str] | str = "",
    autocomplete: Autocomplete = "off",
    required: bool = True,
    field_id: str | None = None,
    described_by: tuple[str, ...] = (),
    visibility: Any = None,
    **input_props: Any,
) -> rx.Component:
    """A <label>, its input (id defaults to `name`) and its error line.

    A password field needs `visibility`, the form's state mixing in PasswordVisibility,
    for its "Show password" toggle. `one-time-code` fields get a numeric keyboard.
    """
    element_id = field_id or name
    invalid = ("true" if error else "false") if isinstance(error, str) else None
    props: dict[str, Any] = {
        "id": element_id,
        "name": name,
        "auto_complete": autocomplete,
        "required": required,
        "aria_invalid": invalid or rx.cond(error != "", "true", "false"),
        **input_props,
    }
    described = _described_by(element_id, error, described_by)
    if described is not None:
        props["aria_describedby"] = described
    if autocomplete == "one-time-code":
        props.setdefault("input_mode", "numeric")
    if input_type == "password":
        if visibility is None:
            raise ValueError(f"password field {element_id!r} needs the form's visibility state")
        control = password_input(element_id, visibility, **props)
    else:
        control = rx.input(type=input_type, width="100%", **props)
    return rx.vstack(
        rx.el.label(label, html_for=element_id, font_weight="500", font_size="0.9rem"),
        control,
        field_error(error, field_id=element_id),
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


def credentials_form(*children: rx.Component, on_submit: Any, form_id: str) -> rx.Component:
    """An rx.form whose fields never land in a URL, even if submitted before the app loaded."""
    return rx.form(
        rx.vstack(*children, spacing="3", width="100%"),
        on_submit=on_submit,
        # Before hydration a native submit would be a GET with the password in the query string.
        method="post",
        width="100%",
        id=form_id,
    )


def busy_button(
    label: str,
    busy_label: str,
    busy: rx.Var[bool] | bool,
    *,
    button_id: str | rx.Var[str],
    unavailable: rx.Var[bool] | bool = False,
    **props: Any,
) -> rx.Component:
    """A button that starts server work: says so while busy, and cannot be pressed twice.

    `unavailable` disables it for a reason of its own (no next page, say).
    """
    usable = rx.State.is_hydrated & ~rx.Var.create(busy) & ~rx.Var.create(unavailable)
    return rx.button(
        rx.cond(busy, busy_label, label),
        loading=busy,
        # Disabled until the app has loaded too: before that a press would do nothing.
        disabled=rx.cond(usable, False, True),
        aria_busy=rx.cond(busy, "true", "false"),
        id=button_id,
        **props,
    )


def submit_button(
    label: str, busy_label: str, busy: rx.Var[bool] | bool, *, button_id: str = "submit"
) -> rx.Component:
    """The form's submit button: busy while the server works, disabled until the app has loaded."""
    return busy_button(label, busy_label, busy, button_id=button_id, type="submit", width="100%")
