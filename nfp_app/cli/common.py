"""The typer app, exit codes, and the runner that turns service errors into clear exits.

Exit codes: 0 done, 1 refused (invalid input, name taken, last administrator),
2 usage error, 3 no such user, 4 configuration or database problem.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from nfp_app.infra import db
from nfp_app.infra.settings import SettingsError, get_settings
from nfp_app.models import User
from nfp_app.security.policy import PolicyError
from nfp_app.services import account_changes, accounts
from nfp_app.services.admin_actions import REASON_MAX_LENGTH, Acting

PASSWORD_ENV = "NFP_APP_PASSWORD"  # noqa: S105  (a variable name, not a password)
EXIT_REFUSED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_CONFIG = 1, 2, 3, 4
T = TypeVar("T")

cli = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
Username = Annotated[str, typer.Argument(help="Login name (case-insensitive).")]
Email = Annotated[str | None, typer.Option(help="Optional email address.")]
REASON_HELP = f"Why (one line, at most {REASON_MAX_LENGTH} characters); it goes into the audit log."
Reason = Annotated[str, typer.Option(help=REASON_HELP)]


@cli.callback()
def main() -> None:
    """Manage nfp_app accounts from the shell."""
    try:
        get_settings()
    except SettingsError as error:
        raise fail(str(error), EXIT_CONFIG) from None


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


def read_password() -> str:
    """The new password: from $NFP_APP_PASSWORD for scripts, else asked twice without echo."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


def database_problem(error: SQLAlchemyError) -> typer.Exit:
    """Exit 4 with the driver's first line, which says what is wrong."""
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return fail(
        f"database problem: {detail}. Check DATABASE_URL; the app (or create-admin) "
        "creates the tables.",
        EXIT_CONFIG,
    )


def run(service: Callable[..., T], /, **kwargs: Any) -> T:
    """`db.call` a service; its refusals become messages and exit codes."""
    try:
        return db.call(service, **kwargs)
    except (PolicyError, account_changes.LastAdminError, accounts.UsernameTakenError) as error:
        raise fail(str(error)) from None
    except accounts.UserNotFoundError as error:
        raise fail(str(error), EXIT_NOT_FOUND) from None
    except accounts.AccountError as error:
        raise fail(str(error)) from None
    except SQLAlchemyError as error:
        raise database_problem(error) from None


def change_by_name(
    *, session: Session, username: str, change: Callable[..., object], **kwargs: Any
) -> User:
    """Look an account up by name (or refuse with exit 3) and apply one account change to it."""
    user = accounts.find_by_username(session=session, username=username)
    if user is None or user.id is None:
        raise accounts.UserNotFoundError()
    change(session=session, user_id=user.id, actor=actor(), **kwargs)
    return user


def act_by_name(
    *, session: Session, username: str, action: Callable[..., object], **kwargs: Any
) -> User:
    """Look an account up by name (or refuse with exit 3) and apply one admin_actions action,
    audited as done by `cli:<os user>`."""
    user = accounts.find_by_username(session=session, username=username)
    if user is None or user.id is None:
        raise accounts.UserNotFoundError()
    action(session=session, user_id=user.id, acting=Acting(actor=actor()), **kwargs)
    return user
