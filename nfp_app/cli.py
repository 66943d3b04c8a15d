"""Operator commands: `python -m nfp_app ...`, on the same settings and database as the app.

Exit codes: 0 done, 1 refused (invalid input, name taken, last administrator),
2 usage error, 3 no such user, 4 configuration or database problem.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from nfp_app import account_changes, accounts, db
from nfp_app.models import User
from nfp_app.security.policy import PolicyError
from nfp_app.settings import SettingsError, get_settings

PASSWORD_ENV = "NFP_APP_PASSWORD"  # noqa: S105  (a variable name, not a password)
EXIT_REFUSED, EXIT_NOT_FOUND, EXIT_CONFIG = 1, 3, 4

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
Username = Annotated[str, typer.Argument(help="Login name (case-insensitive).")]
Email = Annotated[str | None, typer.Option(help="Optional email address.")]


def actor() -> str:
    """Who runs the command, for the audit trail: `cli:<os user>`."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        # No login name and no passwd entry, as in some containers.
        return "cli"


def fail(message: str, code: int = EXIT_REFUSED) -> typer.Exit:
    """Print an error for people and return the exit to raise."""
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@cli.callback()
def main() -> None:
    """Manage nfp_app accounts from the shell."""
    try:
        get_settings()
    except SettingsError as error:
        raise fail(str(error), EXIT_CONFIG) from None


def read_password() -> str:
    """The new password: from $NFP_APP_PASSWORD for scripts, else asked twice without echo."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@contextmanager
def transaction() -> Iterator[Session]:
    """A database session whose failures become clear messages and exit codes."""
    try:
        with db.session_scope() as session:
            yield session
    except (PolicyError, account_changes.LastAdminError, accounts.UsernameTakenError) as error:
        raise fail(str(error)) from None
    except accounts.UserNotFoundError as error:
        raise fail(str(error), EXIT_NOT_FOUND) from None
    except accounts.AccountError as error:
        raise fail(str(error)) from None
    except SQLAlchemyError as error:
        raise database_problem(error) from None


def database_problem(error: SQLAlchemyError) -> typer.Exit:
    """Exit 4 with the driver's first line, which says what is wrong."""
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return fail(
        f"database problem: {detail}. Check DATABASE_URL; the app (or create-admin) "
        "creates the tables.",
        EXIT_CONFIG,
    )


def lookup(session: Session, username: str) -> User:
    """The account with this name, or exit 3."""
    user = accounts.find_by_username(session=session, username=username)
    if user is None or user.id is None:
        raise accounts.UserNotFoundError()
    return user


def _create(username: str, email: str | None, *, admin: bool) -> None:
    password = read_password()
    try:
        db.migrate_to_head()
    except SQLAlchemyError as error:
        raise database_problem(error) from None
    with transaction() as session:
        user = accounts.create_user(
            session=session,
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
    with transaction() as session:
        user = lookup(session, username)
        account_changes.set_password(
            session=session, user_id=_id(user), password=password, actor=actor()
        )
        typer.echo(f"Password of {user.username!r} changed; their sessions were ended.")


def _id(user: User) -> int:
    assert user.id is not None
    return user.id


def _change(username: str, verb: str, action: Callable[[Session, int], object]) -> None:
    with transaction() as session:
        user = lookup(session, username)
        action(session, _id(user))
        typer.echo(f"{verb} {user.username!r}.")


@cli.command()
def disable(username: Username) -> None:
    """Disable an account and end its sessions."""
    _change(
        username,
        "Disabled",
        lambda s, i: account_changes.set_active(session=s, user_id=i, active=False, actor=actor()),
    )


@cli.command()
def enable(username: Username) -> None:
    """Enable a disabled account."""
    _change(
        username,
        "Enabled",
        lambda s, i: account_changes.set_active(session=s, user_id=i, active=True, actor=actor()),
    )


@cli.command()
def promote(username: Username) -> None:
    """Make a user an administrator."""
    _change(
        username,
        "Promoted",
        lambda s, i: account_changes.set_admin(session=s, user_id=i, admin=True, actor=actor()),
    )


@cli.command()
def demote(username: Username) -> None:
    """Withdraw administrator rights."""
    _change(
        username,
        "Demoted",
        lambda s, i: account_changes.set_admin(session=s, user_id=i, admin=False, actor=actor()),
    )


@cli.command("revoke-sessions")
def revoke_sessions(username: Username) -> None:
    """End every session and token of a user; they must sign in again."""
    _change(
        username,
        "Ended all sessions of",
        lambda s, i: account_changes.revoke_sessions(session=s, user_id=i, actor=actor()),
    )


@cli.command()
def delete(
    username: Username,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete an account and its sessions for good."""
    if not yes and not typer.confirm(f"Delete {username!r} for good?"):
        raise fail("not confirmed; nothing was deleted.")
    _change(
        username,
        "Deleted",
        lambda s, i: account_changes.delete_user(session=s, user_id=i, actor=actor()),
    )


@cli.command("list-users")
def list_users(
    offset: Annotated[int, typer.Option(min=0, help="Skip this many accounts.")] = 0,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Show at most this many.")] = 100,
) -> None:
    """Show accounts as a table, in creation order."""
    with transaction() as session:
        users, total = accounts.list_users(session=session, offset=offset, limit=limit)
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
