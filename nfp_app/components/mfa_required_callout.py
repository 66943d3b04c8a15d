"""The /account callout of MFA_REQUIRED_FOR_ADMINS: why the console waits for 2FA."""

from __future__ import annotations

import reflex as rx

from nfp_app.state.auth import AuthState


def mfa_required_callout() -> rx.Component:
    """Shown to an administrator who must turn on two-factor authentication first."""
    return rx.cond(
        AuthState.mfa_enrolment_due,
        rx.callout(
            "Two-factor authentication is required for administrators. Turn it on under "
            '"Two-factor authentication" below; the console opens once it is on.',
            icon="shield_alert",
            color_scheme="amber",
            role="alert",
            id="mfa-required-callout",
            width="100%",
        ),
    )
