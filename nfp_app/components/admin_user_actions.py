"""The actions of the console's page of one account, each behind a reason dialog."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.components.reason_dialog import reason_dialog
from nfp_app.reflex_compat import AccentColor
from nfp_app.state.admin_user import AdminUserState
from nfp_app.state.admin_user_views import SessionLine


def _opener(dialog_id: rx.Var[str] | str) -> Any:
    return lambda is_open: AdminUserState.toggle_dialog(dialog_id, is_open)


def _action(
    name: str,
    label: str,
    title: str,
    description: rx.Var[str] | str,
    on_submit: Any,
    *,
    color: AccentColor = "gray",
    disabled: rx.Var[bool] | bool = False,
) -> rx.Component:
    """A button that opens the dialog of action `name` (button id user-action-<name>)."""
    return reason_dialog(
        rx.button(
            label, variant="soft", color_scheme=color, id=f"user-action-{name}", disabled=disabled
        ),
        title,
        description,
        on_submit,
        name,
        open_dialog=AdminUserState.open_dialog,
        on_open_change=_opener(name),
        refusal=AdminUserState.refusal,
        confirm_label=label,
        busy=AdminUserState.acting,
    )


def action_bar() -> rx.Component:
    """Enable or disable, promote or demote, end sessions, send a reset link, reset 2FA,
    delete."""
    account = AdminUserState.account
    name = account.username  # type: ignore[union-attr]
    return rx.hstack(
        rx.cond(
            account.active,  # type: ignore[union-attr]
            _action(
                "disable",
                "Disable",
                "Disable this account?",
                f"{name} will be signed out everywhere and cannot sign in until enabled again.",
                AdminUserState.disable,
                color="red",
            ),
            _action(
                "enable",
                "Enable",
                "Enable this account?",
                f"{name} will be able to sign in again.",
                AdminUserState.enable,
            ),
        ),
        rx.cond(
            account.admin,  # type: ignore[union-attr]
            _action(
                "demote",
                "Remove administrator",
                "Remove administrator rights?",
                f"{name} becomes a regular user and is signed out everywhere.",
                AdminUserState.demote,
                color="red",
            ),
            _action(
                "promote",
                "Make administrator",
                "Make this account an administrator?",
                f"{name} will see and change every account.",
                AdminUserState.promote,
            ),
        ),
        _action(
            "revoke-all",
            "Sign out everywhere",
            "End every session?",
            f"Every browser session and API token of {name} stops working at once.",
            AdminUserState.revoke_all_sessions,
        ),
        _action(
            "reset-password",
            "Send password reset",
            "Send a password-reset link?",
            f"{name} gets an email with a link to choose a new password.",
            AdminUserState.send_password_reset,
            disabled=~account.has_email,  # type: ignore[union-attr]
        ),
        _action(
            "reset-mfa",
            "Reset two-factor",
            "Reset two-factor authentication?",
            f"{name} can then sign in with the password alone, and gets an email saying so.",
            AdminUserState.reset_mfa,
            color="red",
            disabled=~account.mfa_enabled,  # type: ignore[union-attr]
        ),
        _action(
            "delete",
            "Delete",
            "Delete this account for good?",
            f"{name} and every session of it are deleted. This cannot be undone.",
            AdminUserState.delete_account,
            color="red",
        ),
        spacing="2",
        wrap="wrap",
        id="user-actions",
    )


def revoke_session_button(row: rx.vars.ObjectVar[SessionLine]) -> rx.Component:
    """The "Revoke" button of one session row, with its own reason dialog."""
    dialog_id = "revoke-session-" + row.id.to_string()
    return reason_dialog(
        rx.button(
            "Revoke",
            size="1",
            variant="soft",
            color_scheme="red",
            id=dialog_id,
            aria_label=f"Revoke the session on {row.device}",
        ),
        "End this session?",
        f"The session on {row.device} ({row.ip}) stops working at once.",
        AdminUserState.revoke_one_session,
        dialog_id,
        open_dialog=AdminUserState.open_dialog,
        on_open_change=_opener(dialog_id),
        refusal=AdminUserState.refusal,
        hidden={"session_id": row.id},
        confirm_label="Revoke",
        busy=AdminUserState.acting,
    )
