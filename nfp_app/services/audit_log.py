"""The audit log for administrators: filtered, newest first, keyset paged, exportable as CSV.

Pages resume strictly before the last row's (created_at, id), never at an OFFSET: a deep page
costs what the first does (the indexes of migration 0006), and events recorded meanwhile,
which are newer than any cursor, neither repeat nor hide rows of the later pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, get_args

import sqlalchemy as sa
from sqlmodel import Session, col, select

from nfp_app.models import MAX_ROW_ID, AuthEvent, UTCDateTime
from nfp_app.services import audit_cursor
from nfp_app.services.audit import Event, Outcome

EVENTS: tuple[str, ...] = get_args(Event)
OUTCOMES: tuple[str, ...] = get_args(Outcome)
IP_MAX_LENGTH = 64


class AuditQueryError(ValueError):
    """A filter the audit log cannot apply; `message` is for people, `field` names the input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which events to list; None matches any. `since` is inclusive, `until` exclusive (UTC)."""

    user_id: int | None = None
    event: str | None = None
    outcome: str | None = None
    ip: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One audit event as the console, the API and the CLI show it."""

    id: int
    created_at: dt.datetime
    event: str
    outcome: str
    user_id: int | None
    username: str
    ip: str
    user_agent: str
    detail: str


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of events, newest first, and the cursor of the next (None on the last page)."""

    rows: list[AuditRow]
    next_cursor: str | None


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The moment in UTC; a naive one is taken to be UTC already."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def check_query(query: AuditQuery) -> AuditQuery:
    """The query with its times in UTC; raises AuditQueryError for filters that match nothing."""
    if query.event is not None and query.event not in EVENTS:
        raise AuditQueryError("type", f"Unknown event type; valid types: {', '.join(EVENTS)}.")
    if query.outcome is not None and query.outcome not in OUTCOMES:
        raise AuditQueryError("outcome", f"Unknown outcome; valid ones: {', '.join(OUTCOMES)}.")
    if query.user_id is not None and not 0 < query.user_id <= MAX_ROW_ID:
        raise AuditQueryError("user_id", "A user id is a whole number from 1 to 2147483647.")
    if query.ip is not None and (len(query.ip) > IP_MAX_LENGTH or "\x00" in query.ip):
        raise AuditQueryError("ip", f"An IP address has at most {IP_MAX_LENGTH} characters.")
    since, until = as_utc(query.since), as_utc(query.until)
    if since is not None and until is not None and until <= since:
        raise AuditQueryError("until", "The end of the date range must come after its start.")
    return AuditQuery(query.user_id, query.event, query.outcome, query.ip, since, until)


def _conditions(query: AuditQuery) -> list[Any]:
    conditions: list[Any] = []
    if query.user_id is not None:
        conditions.append(col(AuthEvent.user_id) == query.user_id)
    if query.event is not None:
        conditions.append(col(AuthEvent.event) == query.event)
    if query.outcome is not None:
        conditions.append(col(AuthEvent.outcome) == query.outcome)
    if query.ip:
        conditions.append(col(AuthEvent.ip) == query.ip)
    if query.since is not None:
        conditions.append(col(AuthEvent.created_at) >= query.since)
    if query.until is not None:
        conditions.append(col(AuthEvent.created_at) < query.until)
    return conditions


def _row(event: AuthEvent) -> AuditRow:
    assert event.id is not None
    return AuditRow(
        id=event.id,
        created_at=event.created_at,
        event=event.event,
        outcome=event.outcome,
        user_id=event.user_id,
        username=event.username,
        ip=event.ip,
        user_agent=event.user_agent,
        detail=event.detail,
    )


def _page(
    session: Session, query: AuditQuery, *, limit: int, after: audit_cursor.AuditCursor | None
) -> AuditPage:
    where = _conditions(query)
    if after is not None:
        pair = sa.tuple_(col(AuthEvent.created_at), col(AuthEvent.id))
        bound = sa.tuple_(
            sa.literal(after.created_at, UTCDateTime()), sa.literal(after.event_id, sa.Integer())
        )
        where.append(pair < bound)
    statement = (
        select(AuthEvent)
        .where(*where)
        .order_by(col(AuthEvent.created_at).desc(), col(AuthEvent.id).desc())
        .limit(limit + 1)  # one row more than asked tells whether a next page exists
    )
    events = list(session.exec(statement).all())
    rows = [_row(event) for event in events[:limit]]
    if len(events) <= limit or not rows:
        return AuditPage(rows=rows, next_cursor=None)
    last = audit_cursor.AuditCursor(rows[-1].created_at, rows[-1].id)
    return AuditPage(rows=rows, next_cursor=audit_cursor.encode(last))


def list_events(
    *, session: Session, query: AuditQuery, limit: int, cursor: str | None = None
) -> AuditPage:
    """One page of matching events, newest first.

    Raises AuditQueryError for a bad filter and audit_cursor.AuditCursorError for a bad cursor.
    """
    checked = check_query(query)
    after = audit_cursor.decode(cursor) if cursor else None
    return _page(session, checked, limit=max(1, limit), after=after)


def iter_events(*, session: Session, query: AuditQuery, max_rows: int) -> Iterator[AuditRow]:
    """Up to `max_rows` matching events, newest first, fetched a keyset page at a time."""
    checked = check_query(query)
    after: audit_cursor.AuditCursor | None = None
    left = max_rows
    while left > 0:
        page = _page(session, checked, limit=min(1000, left), after=after)
        yield from page.rows
        left -= len(page.rows)
        if page.next_cursor is None or not page.rows:
            return
        last = page.rows[-1]
        after = audit_cursor.AuditCursor(last.created_at, last.id)
