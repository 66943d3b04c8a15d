"""The "Two-factor authentication" section of /account: status, set-up, codes, turning off."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.form_field import (
    busy_button,
    credentials_form,
    error_callout,
    form_field,
    notice_callout,
)
from nfp_app.components.layout import card_section
from nfp_app.components.recovery_codes import recovery_codes_panel
from nfp_app.security import policy
from nfp_app.state.account_mfa import AccountMfaState as Mfa

# Six digits; a pasted code may come with spaces, which the server strips.
CODE_MAX_LENGTH = 12
# A recovery code is five groups of five with dashes (29); typed with spaces, a little longer.
ANY_CODE_MAX_LENGTH = 64


def _password(label: str, name: str, error: rx.Var[str] | str = "") -> rx.Component:
    return form_field(
        label,
        name,
        input_type="password",
        autocomplete="current-password",
        error=error,
        visibility=Mfa,
        max_length=policy.PASSWORD_MAX_LENGTH,
    )


def _cancel() -> rx.Component:
    return rx.button(
        "Cancel", type="button", variant="soft", id="mfa-cancel", on_click=Mfa.cancel_setup
    )


def _status() -> rx.Component:
    """On (with the recovery codes left) or off; focused after turning it off."""
    return rx.text(
        rx.cond(
            Mfa.mfa_enabled,
            rx.fragment("On. Recovery codes left: ", rx.text.strong(Mfa.codes_left), "."),
            "Off. With it on, signing in also needs a code from an authenticator app.",
        ),
        id="mfa-status",
        tab_index=-1,
    )


def _password_step() -> rx.Component:
    return credentials_form(
        rx.text("Confirm your password to set up two-factor authentication.", size="2"),
        _password("Password", "mfa_password", Mfa.setup_error),
        rx.hstack(
            busy_button(
                "Continue", "Checking…", Mfa.setup_busy, button_id="mfa-continue", type="submit"
            ),
            _cancel(),
            spacing="2",
        ),
        on_submit=Mfa.confirm_password,
        form_id="mfa-password-form",
    )


def _code_step() -> rx.Component:
    """The QR code (an image from a data URL) and the key as text, then the first code."""
    return rx.vstack(
        rx.text("Scan this QR code with your authenticator app:", size="2"),
        rx.image(
            src=Mfa.shown.qr,
            alt="QR code to add this account to an authenticator app",
            width="12rem",
            height="12rem",
            id="mfa-qr",
            background="white",
            padding="0.5rem",
        ),
        rx.text("Or type this key into the app:", size="2"),
        rx.hstack(
            rx.code(Mfa.shown.secret, id="mfa-secret", word_break="break-all"),
            rx.button(
                "Copy key",
                type="button",
                variant="soft",
                id="mfa-copy-secret",
                on_click=rx.set_clipboard(Mfa.shown.secret),
            ),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        credentials_form(
            form_field(
                "6-digit code from the app",
                "mfa_code",
                autocomplete="one-time-code",
                error=Mfa.code_error,
                max_length=CODE_MAX_LENGTH,
            ),
            rx.hstack(
                busy_button(
                    "Turn on", "Checking…", Mfa.setup_busy, button_id="mfa-activate", type="submit"
                ),
                _cancel(),
                spacing="2",
            ),
            on_submit=Mfa.activate,
            form_id="mfa-code-form",
        ),
        spacing="3",
        width="100%",
    )


def _setup() -> rx.Component:
    return rx.match(  # pyright: ignore[reportReturnType]  (with components, a component)
        Mfa.setup_step,
        ("password", _password_step()),
        ("code", _code_step()),
        busy_button(
            "Set up two-factor authentication",
            "Starting…",
            Mfa.setup_busy,
            button_id="mfa-begin",
            on_click=Mfa.begin,
        ),
    )


def _manage() -> rx.Component:
    """With 2FA on: new recovery codes, or turn it off."""
    return rx.vstack(
        credentials_form(
            rx.heading("New recovery codes", size="3", as_="h3"),
            _password("Password", "regen_password", Mfa.regen_error),
            busy_button(
                "Regenerate recovery codes",
                "Making…",
                Mfa.regen_busy,
                button_id="mfa-regenerate",
                type="submit",
            ),
            on_submit=Mfa.regenerate,
            form_id="mfa-regenerate-form",
        ),
        credentials_form(
            rx.heading("Turn off", size="3", as_="h3"),
            _password("Password", "off_password"),
            form_field(
                "Code from the app, or a recovery code",
                "off_code",
                autocomplete="one-time-code",
                input_mode="text",  # a recovery code has letters
                max_length=ANY_CODE_MAX_LENGTH,
            ),
            error_callout(Mfa.off_error, callout_id="mfa-off-error"),
            busy_button(
                "Turn off two-factor authentication",
                "Turning off…",
                Mfa.off_busy,
                button_id="mfa-turn-off",
                type="submit",
                color_scheme="red",
                high_contrast=True,
            ),
            on_submit=Mfa.turn_off,
            form_id="mfa-off-form",
        ),
        spacing="5",
        width="100%",
    )


def mfa_section() -> rx.Component:
    """The section; leaving the page drops the secret and the codes on the server."""
    return card_section(
        "Two-factor authentication",
        rx.box(_status(), on_unmount=Mfa.leave, width="100%"),
        notice_callout(Mfa.notice, callout_id="mfa-notice"),
        rx.cond(Mfa.shown.codes.length() > 0, recovery_codes_panel()),
        rx.cond(Mfa.mfa_enabled, _manage(), _setup()),
        section_id="mfa-section",
    )
