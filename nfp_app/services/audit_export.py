"""The audit log as CSV: the filtered events, newest first, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlmodel import Session

from nfp_app.services.audit_log import AuditQuery, AuditRow, iter_events

# An export holds at most this many rows (the newest ones): enough for any investigation of a
# date range, small enough to build in memory and to send to a browser. Narrow the filters
# (the date range) to reach older events.
MAX_EXPORT_ROWS = 100_000
COLUMNS = ("time", "event", "outcome", "user_id", "username", "ip", "user_agent", "detail")
# Spreadsheets run a cell starting with one of these as a formula (CSV/formula injection):
# usernames, user agents and details come from whoever signs up or connects, so such a cell
# gets a leading apostrophe and is shown as the text it is.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class CsvExport:
    """The CSV text, how many events it holds, and whether MAX_EXPORT_ROWS cut it short."""

    text: str
    row_count: int
    truncated: bool


def safe_cell(value: str) -> str:
    """The text as a cell no spreadsheet runs as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _cells(row: AuditRow) -> list[str]:
    user_id = "" if row.user_id is None else str(row.user_id)
    texts = (row.event, row.outcome, row.username, row.ip, row.user_agent, row.detail)
    event, outcome, username, ip, user_agent, detail = (safe_cell(text) for text in texts)
    return [_time(row.created_at), event, outcome, user_id, username, ip, user_agent, detail]


def build_csv(*, session: Session, query: AuditQuery, max_rows: int = MAX_EXPORT_ROWS) -> CsvExport:
    """The matching events as CSV (header row first), at most `max_rows` of them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    # One row beyond the cap tells whether the export was cut short.
    for row in iter_events(session=session, query=query, max_rows=max_rows + 1):
        if count == max_rows:
            return CsvExport(buffer.getvalue(), count, truncated=True)
        writer.writerow(_cells(row))
        count += 1
    return CsvExport(buffer.getvalue(), count, truncated=False)


def export_csv(*, session: Session, query: AuditQuery, max_rows: int = MAX_EXPORT_ROWS) -> str:
    """The matching events as CSV text; raises audit_log.AuditQueryError for a bad filter."""
    return build_csv(session=session, query=query, max_rows=max_rows).text
