"""An invisible image whose request lets the backend set or clear the HttpOnly cookie."""

from __future__ import annotations

import reflex as rx

from nfp_app.reflex_compat import BeaconImage
from nfp_app.state.auth import AuthState


def cookie_beacon() -> rx.Component:
    """Renders only while a cookie handoff is pending, then continues the navigation."""
    return rx.cond(
        AuthState.handoff_url != "",
        BeaconImage.create(
            src=AuthState.handoff_url,
            alt="",
            width="1",
            height="1",
            aria_hidden="true",
            referrer_policy="no-referrer",
            on_load=AuthState.finish_handoff,
            on_error=AuthState.finish_handoff,
            style={"position": "absolute", "opacity": "0", "pointer_events": "none"},
        ),
    )
