"""Previous and Next under a keyset-paged table, with the page number between them."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.components.form_field import busy_button
from nfp_app.components.looks import SECONDARY


def pager(
    prefix: str,
    *,
    page_number: rx.Var[int] | int,
    turn: Any,
    has_previous: rx.Var[bool] | bool,
    has_next: rx.Var[bool] | bool,
    busy: rx.Var[bool] | bool,
    after: rx.Component | None = None,
) -> rx.Component:
    """`turn(True)` loads the next page and `turn(False)` the one before; ids start `prefix`."""

    def button(label: str, forward: bool, available: rx.Var[bool] | bool) -> rx.Component:
        return busy_button(
            label,
            "Loading…",
            busy,
            button_id=f"{prefix}-{label.lower()}",
            unavailable=~rx.Var.create(available),
            on_click=turn(forward),
            variant=SECONDARY,
        )

    return rx.hstack(
        button("Previous", False, has_previous),
        rx.text("Page ", page_number, size="2", id=f"{prefix}-page"),
        button("Next", True, has_next),
        *([after] if after is not None else []),
        align="center",
        width="100%",
    )
