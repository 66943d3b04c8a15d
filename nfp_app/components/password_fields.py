"""A new password twice, with the live strength hint and the rules in words."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.components.form_field import form_field
from nfp_app.infra.settings import get_settings
from nfp_app.security import policy
from nfp_app.state.password_meter import RATE_DEBOUNCE_MS

STRENGTH_ID = "password-strength"
RULES_ID = "password-rules"


def strength_hint(state: Any) -> rx.Component:
    """A live bar and word for the password's strength (`state` mixes in PasswordMeter).

    The region is always on the page, so screen readers announce what appears in it.
    """
    return rx.box(
        rx.cond(
            state.strength_label != "",
            rx.hstack(
                rx.progress(
                    value=state.strength_score * 25,
                    max=100,
                    width="8rem",
                    aria_label="Password strength",
                ),
                rx.text("Strength: ", state.strength_label, size="2", id="strength-label"),
                align="center",
                spacing="2",
            ),
        ),
        id=STRENGTH_ID,
        aria_live="polite",
    )


def new_password_fields(
    state: Any, *, label: str = "Password", password_error: Any = "", confirm_error: Any = ""
) -> list[rx.Component]:
    """The password field rated as it is typed, the rules, and its confirmation."""
    return [
        form_field(
            label,
            "password",
            input_type="password",
            autocomplete="new-password",
            error=password_error,
            described_by=(RULES_ID, STRENGTH_ID),
            visibility=state,
            max_length=policy.PASSWORD_MAX_LENGTH,
            on_change=state.rate_password.debounce(RATE_DEBOUNCE_MS),
        ),
        # One block, so the empty live region adds no gap of its own above the rules.
        rx.vstack(
            strength_hint(state),
            rx.text(
                f"{get_settings().password_min_length} to {policy.PASSWORD_MAX_LENGTH} "
                "characters, spaces allowed; a long phrase is easiest to remember. "
                "Common passwords and your username are refused.",
                size="1",
                color_scheme="gray",
                id=RULES_ID,
            ),
            spacing="1",
            width="100%",
        ),
        form_field(
            f"Confirm {label.lower()}",
            "confirm",
            input_type="password",
            autocomplete="new-password",
            error=confirm_error,
            visibility=state,
            max_length=policy.PASSWORD_MAX_LENGTH,
        ),
    ]
