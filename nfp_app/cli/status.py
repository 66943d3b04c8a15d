"""Commands that change an account's status: enable, disable, promote, demote, end sessions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import typer

from nfp_app.cli.common import Username, change_by_name, cli, run
from nfp_app.services import account_changes


@dataclass(frozen=True)
class StatusCommand:
    """One command: its name, help, the past tense it reports with, and the change it makes."""

    name: str
    help: str
    done: str
    change: Callable[..., object]
    arguments: dict[str, Any] = field(default_factory=dict)

    def register(self) -> None:
        """Add the command to the CLI."""

        def command(username: Username) -> None:
            user = run(change_by_name, username=username, change=self.change, **self.arguments)
            typer.echo(f"{self.done} {user.username!r}.")

        cli.command(self.name, help=self.help)(command)


STATUS_COMMANDS = (
    StatusCommand(
        "disable",
        "Disable an account and end its sessions.",
        "Disabled",
        account_changes.update_status,
        {"active": False},
    ),
    StatusCommand(
        "enable",
        "Enable a disabled account.",
        "Enabled",
        account_changes.update_status,
        {"active": True},
    ),
    StatusCommand(
        "promote",
        "Make a user an administrator.",
        "Promoted",
        account_changes.update_status,
        {"admin": True},
    ),
    StatusCommand(
        "demote",
        "Withdraw administrator rights.",
        "Demoted",
        account_changes.update_status,
        {"admin": False},
    ),
    StatusCommand(
        "revoke-sessions",
        "End every session and token of a user; they must sign in again.",
        "Ended all sessions of",
        account_changes.revoke_sessions,
    ),
)

for _command in STATUS_COMMANDS:
    _command.register()
