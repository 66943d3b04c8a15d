"""Commands that change an account's status: enable, disable, promote, demote, end sessions,
reset two-factor authentication.

Each needs a `--reason`, recorded in the audit log with `cli:<os user>` (admin_actions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import typer

from nfp_app.cli.common import Reason, Username, act_by_name, cli, run
from nfp_app.services import admin_actions, mfa_admin


@dataclass(frozen=True)
class StatusCommand:
    """One command: its name, help, the past tense it reports with, and the action it takes."""

    name: str
    help: str
    done: str
    action: Callable[..., object]
    arguments: dict[str, Any] = field(default_factory=dict[str, Any])

    def register(self) -> None:
        """Add the command to the CLI."""

        def command(username: Username, reason: Reason) -> None:
            user = run(
                act_by_name, username=username, action=self.action, reason=reason, **self.arguments
            )
            typer.echo(f"{self.done} {user.username!r}.")

        cli.command(self.name, help=self.help)(command)


STATUS_COMMANDS = (
    StatusCommand(
        "disable",
        "Disable an account and end its sessions.",
        "Disabled",
        admin_actions.update_status,
        {"active": False},
    ),
    StatusCommand(
        "enable",
        "Enable a disabled account.",
        "Enabled",
        admin_actions.update_status,
        {"active": True},
    ),
    StatusCommand(
        "promote",
        "Make a user an administrator.",
        "Promoted",
        admin_actions.update_status,
        {"admin": True},
    ),
    StatusCommand(
        "demote",
        "Withdraw administrator rights; the user's sessions end.",
        "Demoted",
        admin_actions.update_status,
        {"admin": False},
    ),
    StatusCommand(
        "revoke-sessions",
        "End every session and token of a user; they must sign in again.",
        "Ended all sessions of",
        admin_actions.revoke_sessions,
    ),
    StatusCommand(
        "reset-mfa",
        "Turn off a user's two-factor authentication (a lost phone); the user is emailed.",
        "Reset two-factor authentication of",
        mfa_admin.admin_reset,
    ),
)

for _command in STATUS_COMMANDS:
    _command.register()
