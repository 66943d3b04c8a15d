"""/login's passkey parts: the button, the autofill request, and why a passkey cannot be used."""

from __future__ import annotations

import reflex as rx

from nfp_app.components import webauthn_calls
from nfp_app.components.form_field import busy_button, error_callout
from nfp_app.components.looks import BUTTON_SIZE, SECONDARY
from nfp_app.state import ceremony_results
from nfp_app.state.passkey_login import PasskeyLoginState


def passkey_autofill() -> rx.Component:
    """Starts the conditional request once mounted, after the username input is in the DOM.

    Reflex memoizes it with a run-once on_mount, so a new ceremony (after a failed attempt)
    mounts it again by unmounting it first: PasskeyLoginState._restart.
    """
    return rx.cond(
        PasskeyLoginState.ready,
        rx.el.span(
            id="passkey-autofill",
            hidden=True,
            on_mount=webauthn_calls.start_authentication(
                PasskeyLoginState.options, PasskeyLoginState.finish_autofill, autofill=True
            ),
            on_unmount=webauthn_calls.cancel_pending(),
        ),
    )


def unsupported_callout(supported: rx.Var[bool] | bool, *, callout_id: str) -> rx.Component:
    """Says so when the browser has no WebAuthn at all."""
    return rx.cond(
        supported,
        rx.fragment(),
        rx.callout(ceremony_results.UNSUPPORTED, icon="info", role="status", id=callout_id),
    )


def passkey_sign_in() -> rx.Component:
    """The "Sign in with a passkey" button, its error, and the autofill request."""
    return rx.vstack(
        busy_button(
            "Sign in with a passkey",
            "Signing in…",
            PasskeyLoginState.busy,
            button_id="passkey-sign-in",
            unavailable=~rx.Var.create(PasskeyLoginState.ready),
            type="button",
            variant=SECONDARY,
            size=BUTTON_SIZE,
            width="100%",
            on_click=webauthn_calls.start_authentication(
                PasskeyLoginState.options, PasskeyLoginState.finish_button
            ),
        ),
        error_callout(PasskeyLoginState.error, callout_id="passkey-error"),
        unsupported_callout(PasskeyLoginState.supported, callout_id="passkey-unsupported"),
        passkey_autofill(),
        on_mount=webauthn_calls.check_support(PasskeyLoginState.note_support),
        spacing="3",
        width="100%",
    )
