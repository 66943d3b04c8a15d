"""The `audit` command: the audit log, filtered, newest first, as a table or as CSV."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from nfp_app.cli.common import EXIT_NOT_FOUND, cli, fail, run
from nfp_app.services import accounts, audit_export, audit_log
from nfp_app.services.audit_log import AuditQuery, AuditRow

DEFAULT_LIMIT = 50
_TIME_HELP = "ISO date or date-time (2026-03-01, 2026-03-01T12:00); without an offset, UTC."


def _moment(text: str | None, option: str) -> dt.datetime | None:
    if text is None:
        return None
    try:
        return audit_log.as_utc(dt.datetime.fromisoformat(text.strip()))
    except ValueError:
        raise fail(f"{option}: not a date or date-time: {text!r}. {_TIME_HELP}") from None


def _user_id(session: Session, username: str) -> int | None:
    user = accounts.find_by_username(session=session, username=username)
    return user.id if user is not None else None


def _print_table(rows: list[AuditRow], more: bool) -> None:
    table = Table("time (UTC)", "event", "outcome", "user", "ip", "detail")
    for row in rows:
        user = row.username or (f"#{row.user_id}" if row.user_id is not None else "")
        when = f"{row.created_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}"
        table.add_row(when, row.event, row.outcome, user, row.ip, row.detail)
    Console(width=140).print(table)
    note = " (more match: narrow the filters, or raise --limit)" if more else ""
    typer.echo(f"{len(rows)} events shown, newest first{note}.")


@cli.command()
def audit(
    user: Annotated[str | None, typer.Option("--user", help="Events of this username.")] = None,
    user_id: Annotated[int | None, typer.Option(help="Events of this user id.", min=1)] = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Event type: " + ", ".join(audit_log.EVENTS))
    ] = None,
    outcome: Annotated[
        str | None, typer.Option(help="Outcome: " + ", ".join(audit_log.OUTCOMES))
    ] = None,
    ip: Annotated[str | None, typer.Option(help="Client IP address, exactly.")] = None,
    since: Annotated[str | None, typer.Option(help=f"From (inclusive). {_TIME_HELP}")] = None,
    until: Annotated[str | None, typer.Option(help=f"Until (exclusive). {_TIME_HELP}")] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=audit_export.MAX_EXPORT_ROWS,
            help=f"At most this many events (table default {DEFAULT_LIMIT}; "
            f"--csv default and cap {audit_export.MAX_EXPORT_ROWS:,}).",
        ),
    ] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="Write CSV to stdout instead.")] = False,
) -> None:
    """Show the audit log, newest first, filtered by user, type, outcome, IP and time."""
    if user is not None and user_id is not None:
        raise fail("pass either --user or --user-id, not both.")
    if user is not None:
        user_id = run(_user_id, username=user)
        if user_id is None:
            raise fail(f"no user named {user!r}.", EXIT_NOT_FOUND)
    query = AuditQuery(
        user_id=user_id,
        event=event_type,
        outcome=outcome,
        ip=ip or None,
        since=_moment(since, "--since"),
        until=_moment(until, "--until"),
    )
    try:
        audit_log.check_query(query)
    except audit_log.AuditQueryError as error:
        raise fail(f"--{error.field.replace('_', '-')}: {error.message}") from None
    if as_csv:
        export = run(
            audit_export.build_csv, query=query, max_rows=limit or audit_export.MAX_EXPORT_ROWS
        )
        sys.stdout.write(export.text)
        if export.truncated and limit is None:
            typer.secho(
                f"Stopped at {export.row_count:,} rows: narrow the filters for older events.",
                err=True,
            )
        return
    page = run(audit_log.list_events, query=query, limit=limit or DEFAULT_LIMIT)
    _print_table(page.rows, more=page.next_cursor is not None)
