"""Fresh recovery codes on /account: shown once, with copy, download and "I have saved them"."""

from __future__ import annotations

import reflex as rx

from nfp_app.state.account_mfa import AccountMfaState as Mfa
from nfp_app.state.mfa_views import RECOVERY_CODES_FILE


def recovery_codes_panel() -> rx.Component:
    """Fresh recovery codes, shown once, with copy, download and "saved"."""
    return rx.box(
        rx.heading("Your recovery codes", size="3", as_="h3", margin_bottom="0.5rem"),
        rx.text(
            "Each code works once, instead of a code from the app. Save them somewhere safe "
            "now: they are not shown again.",
            size="2",
        ),
        rx.el.ul(
            rx.foreach(Mfa.shown.codes, lambda code: rx.el.li(rx.code(code))),
            id="recovery-codes-list",
            # A column per 17rem: two side by side on a wide card, one on a phone.
            style={"columns": "17rem", "padding": "0.5rem 1.5rem", "font-family": "monospace"},
        ),
        rx.hstack(
            rx.button(
                "Copy",
                type="button",
                variant="soft",
                id="mfa-copy-codes",
                on_click=rx.set_clipboard(Mfa.shown.codes_text),
            ),
            rx.button(
                "Download (.txt)",
                type="button",
                variant="soft",
                id="mfa-download-codes",
                on_click=rx.download(data=Mfa.shown.codes_download, filename=RECOVERY_CODES_FILE),
            ),
            rx.button(
                "I have saved them", type="button", id="mfa-codes-saved", on_click=Mfa.codes_saved
            ),
            spacing="2",
            wrap="wrap",
        ),
        id="recovery-codes",
        tab_index=-1,
        width="100%",
    )
