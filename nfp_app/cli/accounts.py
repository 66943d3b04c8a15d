"""Commands that create, list, re-password and delete accounts."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from nfp_app.cli.common import (
    Email,
    Username,
    actor,
    change_by_name,
    cli,
    database_problem,
    fail,
    read_password,
    run,
)
from nfp_app.infra import db
from nfp_app.services import account_changes, accounts


def _create(username: str, email: str | None, *, admin: bool) -> None:
    password = read_password()
    try:
        db.migrate_to_head()
    except SQLAlchemyError as error:
        raise database_problem(error) from None
    user = run(
        accounts.create_user,
        username=username,
        password=password,
        email=email,
        is_admin=admin,
        actor=actor(),
    )
    role = "administrator" if admin else "user"
    typer.echo(f"Created {role} {user.username!r} (id {user.id}).")


@cli.command("create-user")
def create_user(username: Username, email: Email = None) -> None:
    """Create an ordinary user. The password is prompted for, or read from $NFP_APP_PASSWORD."""
    _create(username, email, admin=False)


@cli.command("create-admin")
def create_admin(username: Username, email: Email = None) -> None:
    """Create an administrator. The password is prompted for, or read from $NFP_APP_PASSWORD."""
    _create(username, email, admin=True)


@cli.command("set-password")
def set_password(username: Username) -> None:
    """Set a new password; every session and token of the user ends."""
    password = read_password()
    user = run(
        change_by_name,
        username=username,
        change=account_changes.set_password,
        password=password,
    )
    typer.echo(f"Password of {user.username!r} changed; their sessions were ended.")


@cli.command()
def delete(
    username: Username,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an account and its sessions for good."""
    if not yes and not typer.confirm(f"Delete {username!r} for good?"):
        raise fail("not confirmed; nothing was deleted.")
    user = run(change_by_name, username=username, change=account_changes.delete_user)
    typer.echo(f"Deleted {user.username!r}.")


@cli.command("list-users")
def list_users(
    offset: Annotated[int, typer.Option(min=0, help="Skip this many accounts.")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Show at most this many.")] = 100,
) -> None:
    """Show accounts as a table, in creation order."""
    users, total = run(accounts.list_users, offset=offset, limit=limit)
    table = Table("id", "username", "email", "active", "admin", "created", "last login")
    for user in users:
        table.add_row(
            str(user.id),
            user.username,
            user.email or "",
            "yes" if user.is_active else "no",
            "yes" if user.is_admin else "no",
            f"{user.created_at:%Y-%m-%d %H:%M}",
            f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "never",
        )
    Console(width=120).print(table)
    typer.echo(f"{len(users)} of {total} users shown.")
