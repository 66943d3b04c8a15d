"""The sections of the console's page of one account: profile, sessions, audit events."""

from __future__ import annotations

import reflex as rx

from nfp_app import routes
from nfp_app.components.admin_user_actions import action_bar, revoke_session_button
from nfp_app.components.layout import card_section, detail_item
from nfp_app.components.tables import data_table
from nfp_app.reflex_compat import AccentColor
from nfp_app.state.admin_user import AdminUserState
from nfp_app.state.admin_user_views import EventLine, SessionLine


def _badge(
    on: rx.Var[bool],
    yes: str,
    no: str,
    *,
    yes_color: AccentColor,
    no_color: AccentColor,
) -> rx.Component:
    return rx.cond(
        on,
        rx.badge(yes, color_scheme=yes_color, high_contrast=True),
        rx.badge(no, color_scheme=no_color, high_contrast=True),
    )


def profile_card() -> rx.Component:
    """Who the account is, its status badges and its actions."""
    account = AdminUserState.account
    return card_section(
        "Account",
        rx.hstack(
            _badge(account.active, "Active", "Disabled", yes_color="green", no_color="red"),  # type: ignore[union-attr]
            _badge(account.admin, "Administrator", "User", yes_color="purple", no_color="gray"),  # type: ignore[union-attr]
            rx.cond(
                account.has_email,  # type: ignore[union-attr]
                _badge(
                    account.verified,  # type: ignore[union-attr]
                    "Email confirmed",
                    "Email not confirmed",
                    yes_color="green",
                    no_color="amber",
                ),
            ),
            _badge(account.mfa_enabled, "2FA on", "2FA off", yes_color="green", no_color="gray"),  # type: ignore[union-attr]
            spacing="2",
            id="user-detail-status",
        ),
        rx.data_list.root(
            detail_item("Username", account.username, "user-detail-username"),  # type: ignore[union-attr]
            detail_item("Email", account.email, "user-detail-email"),  # type: ignore[union-attr]
            detail_item("Created", account.created, "user-detail-created"),  # type: ignore[union-attr]
            detail_item("Last sign-in", account.last_sign_in, "user-detail-last-sign-in"),  # type: ignore[union-attr]
            detail_item(
                "Password changed",
                account.password_changed,  # type: ignore[union-attr]
                "user-detail-password-changed",
            ),
            detail_item(
                "Two-factor",
                rx.cond(account.mfa_enabled, "On", "Off"),  # type: ignore[union-attr]
                "user-detail-mfa",
            ),
            detail_item("Notes", account.notes.to_string(), "user-detail-notes"),  # type: ignore[union-attr]
        ),
        action_bar(),
        section_id="user-detail",
    )


def _session_row(row: rx.vars.ObjectVar[SessionLine]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.text(row.device),
                rx.cond(
                    row.persistent, rx.badge("Remembered", color_scheme="blue", high_contrast=True)
                ),
                spacing="2",
            )
        ),
        rx.table.cell(row.ip),
        rx.table.cell(row.created),
        rx.table.cell(row.last_seen),
        rx.table.cell(revoke_session_button(row)),
    )


def sessions_card() -> rx.Component:
    """The account's live sessions, each revocable with a reason."""
    return card_section(
        "Active sessions",
        rx.cond(
            AdminUserState.account_sessions.length() > 0,  # type: ignore[union-attr]
            data_table(
                ("Device", "IP", "Signed in", "Last seen", "Actions"),
                rx.table.body(rx.foreach(AdminUserState.account_sessions, _session_row)),
                "user-sessions",
            ),
            rx.text("No active sessions.", color_scheme="gray", id="user-no-sessions"),
        ),
        section_id="user-sessions-section",
    )


def _event_row(row: rx.vars.ObjectVar[EventLine]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.time, white_space="nowrap"),
        rx.table.cell(row.event),
        rx.table.cell(row.outcome),
        rx.table.cell(row.ip),
        rx.table.cell(row.detail),
    )


def events_card() -> rx.Component:
    """The account's latest audit events, newest first."""
    return card_section(
        "Recent audit events",
        data_table(
            ("Time", "Event", "Outcome", "IP", "Detail"),
            rx.table.body(rx.foreach(AdminUserState.account_events, _event_row)),
            "user-events",
        ),
        rx.link(
            "All audit events of this account",
            href=f"{routes.ADMIN_AUDIT}?user_id={AdminUserState.account.id}",  # type: ignore[union-attr]
            id="user-all-events",
            size="2",
        ),
        section_id="user-events-section",
    )
