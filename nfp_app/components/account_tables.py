"""The tables of /account: the profile, the live sessions, the recent sign-ins."""

from __future__ import annotations

import reflex as rx

from nfp_app.components.form_field import busy_button, notice_callout
from nfp_app.components.layout import card_section, detail_item
from nfp_app.components.tables import data_table
from nfp_app.state.account import AccountState
from nfp_app.state.auth import AuthState
from nfp_app.state.views import EventRow, SessionRow


def profile_section() -> rx.Component:
    """Username (read-only), email, and when the account was made and last signed in."""
    user = AuthState.user
    return card_section(
        "Profile",
        rx.data_list.root(
            detail_item("Username", user.username, "profile-username"),  # type: ignore[union-attr]
            detail_item("Email", user.email, "profile-email"),  # type: ignore[union-attr]
            detail_item("Email status", user.email_status, "profile-email-status"),  # type: ignore[union-attr]
            detail_item("Created", user.created_at, "profile-created"),  # type: ignore[union-attr]
            detail_item("Last sign-in", user.last_login_at, "profile-last-login"),  # type: ignore[union-attr]
        ),
        section_id="profile-section",
    )


def _session_row(row: rx.vars.ObjectVar[SessionRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.text(row.device),
                rx.cond(
                    row.current, rx.badge("This device", color_scheme="green", high_contrast=True)
                ),
                spacing="2",
            )
        ),
        rx.table.cell(row.ip),
        rx.table.cell(row.created),
        rx.table.cell(row.last_seen),
        rx.table.cell(
            busy_button(
                "Revoke",
                "Revoking…",
                AccountState.sessions_busy,
                button_id="revoke-" + row.id.to_string(),
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=AccountState.revoke(row.id),
                aria_label=f"Revoke the session on {row.device}",
            )
        ),
    )


def sessions_section() -> rx.Component:
    """Every live session, with "Revoke" on each, and "Sign out of all other sessions"."""
    return card_section(
        "Active sessions",
        data_table(
            ("Device", "IP", "Created", "Last seen", "Actions"),
            rx.table.body(rx.foreach(AccountState.sessions, _session_row)),
            "sessions-table",
        ),
        notice_callout(AccountState.sessions_notice, callout_id="sessions-notice"),
        busy_button(
            "Sign out of all other sessions",
            "Signing out…",
            AccountState.sessions_busy,
            button_id="revoke-others",
            variant="soft",
            on_click=AccountState.revoke_others,
        ),
        section_id="sessions-section",
    )


def _event_row(row: rx.vars.ObjectVar[EventRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.time),
        rx.table.cell(row.what),
        rx.table.cell(row.ip),
        rx.table.cell(row.device),
    )


def events_section() -> rx.Component:
    """The last 10 sign-ins, failures, password changes and revocations."""
    return card_section(
        "Recent sign-ins",
        data_table(
            ("Time", "What", "IP", "Device"),
            rx.table.body(rx.foreach(AccountState.events, _event_row)),
            "events-table",
        ),
        section_id="events-section",
    )
