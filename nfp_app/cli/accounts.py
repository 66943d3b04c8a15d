"""Commands that create, list, re-password and delete accounts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from nfp_app.cli.common import (
    EXIT_USAGE,
    REASON_HELP,
    Email,
    Username,
    act_by_name,
    actor,
    change_by_name,
    cli,
    database_problem,
    fail,
    read_password,
    run,
)
from nfp_app.infra import db
from nfp_app.services import account_changes, accounts, admin_actions, user_cursor, user_directory
from nfp_app.services.user_directory_types import (
    MAX_QUERY_LENGTH,
    SortKey,
    UserPage,
    UserQuery,
)


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
    reason: Annotated[str | None, typer.Option(help=REASON_HELP)] = None,
) -> None:
    """Delete an account and its sessions for good."""
    if not yes and not typer.confirm(f"Delete {username!r} for good?"):
        raise fail("not confirmed; nothing was deleted.")
    if reason is None:
        # Without --reason as before, so existing scripts keep working.
        user = run(change_by_name, username=username, change=account_changes.delete_user)
    else:
        user = run(act_by_name, username=username, action=admin_actions.delete_user, reason=reason)
    typer.echo(f"Deleted {user.username!r}.")


def _check_search(search: str) -> str:
    try:
        search.encode("utf-8")
    except UnicodeEncodeError:
        raise fail("--search must be valid text.", EXIT_USAGE) from None
    if len(search) > MAX_QUERY_LENGTH:
        raise fail(f"--search can be at most {MAX_QUERY_LENGTH} characters.", EXIT_USAGE)
    return search


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "never"


def _print_page(page: UserPage) -> None:
    table = Table(
        "id", "username", "email", "active", "admin", "verified", "sessions", "created",
        "last login",
    )  # fmt: skip
    for row in page.rows:
        table.add_row(
            str(row.id),
            row.username,
            row.email or "",
            "yes" if row.is_active else "no",
            "yes" if row.is_admin else "no",
            "yes" if row.is_verified else "no",
            str(row.active_sessions),
            _when(row.created_at),
            _when(row.last_sign_in_at),
        )
    Console(width=140).print(table)
    shown = len(page.rows)
    total = "" if page.total is None else f" of {page.total}"
    typer.echo(f"{shown}{total} users shown.")
    if page.next_cursor:
        typer.echo(f"Next page: --cursor {page.next_cursor}")


@cli.command("list-users")
def list_users(
    search: Annotated[str, typer.Option(help="Username or email prefix (any case).")] = "",
    active: Annotated[
        bool | None, typer.Option("--active/--disabled", help="Only active or disabled accounts.")
    ] = None,
    admin: Annotated[
        bool | None, typer.Option("--admins/--users", help="Only administrators or users.")
    ] = None,
    sort: Annotated[SortKey, typer.Option(help="Order; a leading - for newest first.")] = "created",
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Show at most this many.")] = 100,
    cursor: Annotated[
        str | None, typer.Option(help="Continue where the previous page ended.")
    ] = None,
    offset: Annotated[
        int | None, typer.Option(min=0, help="Skip this many accounts (slow when deep).")
    ] = None,
) -> None:
    """Show one page of accounts as a table; the next page's --cursor is printed below it."""
    if cursor is not None and offset is not None:
        raise fail("pass either --cursor or --offset, not both.", EXIT_USAGE)
    query = UserQuery(prefix=_check_search(search), active=active, admin=admin, sort=sort)
    try:
        page = run(
            user_directory.list_users, query=query, limit=limit, cursor=cursor, offset=offset or 0
        )
    except user_cursor.CursorError as error:
        raise fail(f"--cursor: {error}", EXIT_USAGE) from None
    _print_page(page)
