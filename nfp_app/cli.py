"""Operator commands: `python -m nfp_app ...`, on the same settings and database as the app."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from nfp_app import accounts, db
from nfp_app.security.policy import PolicyError

PASSWORD_ENV = "NFP_APP_PASSWORD"  # noqa: S105  (a variable name, not a password)

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


@cli.callback()
def main() -> None:
    """Manage nfp_app accounts from the shell."""


def read_password() -> str:
    """The new password: from $NFP_APP_PASSWORD for scripts, else asked twice without echo."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error for people and return the exit to raise."""
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@cli.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Argument(help="Login name of the new administrator.")],
    email: Annotated[str | None, typer.Option(help="Optional email address.")] = None,
) -> None:
    """Create an administrator. The password is prompted for, or read from $NFP_APP_PASSWORD."""
    password = read_password()
    db.migrate_to_head()
    try:
        with db.session_scope() as session:
            user = accounts.create_user(
                session=session, username=username, password=password, email=email, is_admin=True
            )
            typer.echo(f"Created administrator {user.username!r} (id {user.id}).")
    except (PolicyError, accounts.AccountError) as error:
        raise fail(str(error)) from None
