"""The audit page's filter form turned into an AuditQuery, with a clear message for bad input."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from nfp_app.services import accounts, audit_log
from nfp_app.services.audit_log import AuditQuery

FIELDS = ("username", "type", "outcome", "ip", "since", "until")


class FilterError(ValueError):
    """Filter input that matches nothing sensible; `message` says what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _day(text: str, label: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise FilterError(f"The {label} date must look like 2026-03-01.") from None


def query_from_form(*, session: Session, fields: dict[str, str]) -> AuditQuery:
    """The query for the form's fields ("" means any); the dates are whole UTC days."""
    user_id = None
    username = fields.get("username", "").strip()
    if username:
        user = accounts.find_by_username(session=session, username=username)
        if user is None:
            raise FilterError(f"No user is named {username!r}.")
        user_id = user.id
    since_day, until_day = (
        _day(fields.get("since", ""), "from"),
        _day(fields.get("until", ""), "to"),
    )
    if since_day and until_day and until_day < since_day:
        raise FilterError("The 'to' date is before the 'from' date.")
    midnight = dt.time(tzinfo=dt.UTC)
    try:
        return _checked(user_id, fields, since_day, until_day, midnight)
    except OverflowError:
        raise FilterError("The 'to' date is too far in the future.") from None


def _checked(
    user_id: int | None,
    fields: dict[str, str],
    since_day: dt.date | None,
    until_day: dt.date | None,
    midnight: dt.time,
) -> AuditQuery:
    query = AuditQuery(
        user_id=user_id,
        event=fields.get("type") or None,
        outcome=fields.get("outcome") or None,
        ip=fields.get("ip", "").strip() or None,
        since=dt.datetime.combine(since_day, midnight) if since_day else None,
        # The 'to' day is included: the range ends at the midnight after it.
        until=dt.datetime.combine(until_day + dt.timedelta(days=1), midnight)
        if until_day
        else None,
    )
    try:
        return audit_log.check_query(query)
    except audit_log.AuditQueryError as error:
        raise FilterError(error.message) from None
