"""AdminAuditState: the audit log on /admin/audit, filtered, keyset paged, exported as CSV."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import reflex as rx

from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.models import utcnow
from nfp_app.services import accounts, audit_cursor, audit_export, audit_log
from nfp_app.services.audit_log import AuditQuery, AuditRow
from nfp_app.state.admin_console import AdminConsoleState
from nfp_app.state.audit_filters import FIELDS, FilterError, query_from_form
from nfp_app.state.busy import busy_while


@dataclasses.dataclass(frozen=True)
class AuditLine:
    """One row of the audit table, as text."""

    key: str
    time: str
    event: str
    outcome: str
    user: str
    ip: str
    detail: str


def audit_line(row: AuditRow) -> AuditLine:
    """A stored event as a row of the table."""
    user = row.username or (f"#{row.user_id}" if row.user_id is not None else "—")
    return AuditLine(
        key=str(row.id),
        time=f"{row.created_at.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S}",
        event=row.event,
        outcome=row.outcome,
        user=user,
        ip=row.ip or "—",
        detail=row.detail,
    )


def _user_name(session: Any, user_id: int) -> str | None:
    user = accounts.get_user(session=session, user_id=user_id)
    return user.username if user is not None else None


# The file travels over the websocket as a data: URL (base64, a third larger): a few MB at most.
CONSOLE_EXPORT_ROWS = 10_000


class AdminAuditState(AdminConsoleState):
    """The filter form (plain vars: the admin's own input) and the loaded rows (gated)."""

    filter_username: str = ""
    filter_type: str = ""
    filter_outcome: str = ""
    filter_ip: str = ""
    filter_since: str = ""
    filter_until: str = ""
    message: str = ""
    exporting: bool = False
    paging: bool = False  # a filter or page is loading
    page_number: int = 1
    _query: AuditQuery = AuditQuery()
    _lines: list[AuditLine] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    _page_cursor: str = ""  # the cursor this page was loaded from ("" for the first)
    _previous_cursors: list[str] = []  # noqa: RUF012  (the pages before, for Previous)
    _next_cursor: str = ""

    @rx.var(cache=False)
    def lines(self) -> list[AuditLine]:
        """This page of events, for the connection that checked the admin session."""
        return self._lines if self._console_is_mine() else []

    @rx.var(cache=False)
    def has_next(self) -> bool:
        """Whether older events follow this page."""
        return self._console_is_mine() and bool(self._next_cursor)

    @rx.var(cache=False)
    def has_previous(self) -> bool:
        """Whether this is not the first page."""
        return self._console_is_mine() and bool(self._previous_cursors)

    def _clear(self) -> None:
        self._lines, self._previous_cursors = [], []
        self._page_cursor = self._next_cursor = ""
        self.page_number = 1

    async def _load(self, cursor: str) -> None:
        try:
            page = await db.run(
                audit_log.list_events,
                query=self._query,
                limit=get_settings().users_page_size,
                cursor=cursor or None,
            )
        except (audit_log.AuditQueryError, audit_cursor.AuditCursorError) as error:
            self._clear()
            self.message = error.message
            return
        self._lines = [audit_line(row) for row in page.rows]
        self._page_cursor, self._next_cursor = cursor, page.next_cursor or ""

    async def _start(self, query: AuditQuery) -> None:
        self._query = query
        self._clear()
        await self._load("")

    @rx.event
    async def open_page(self):
        """On load: admins see the newest events, of `?user_id=N` alone when given."""
        self.message = ""
        self.filter_username = self.filter_type = self.filter_outcome = ""
        self.filter_ip = self.filter_since = self.filter_until = ""
        self._clear()
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        user_id_text = self.router.url.query_parameters.get("user_id", "")
        query = AuditQuery()
        if user_id_text:
            try:
                query = AuditQuery(user_id=int(user_id_text))
                audit_log.check_query(query)
            except (ValueError, audit_log.AuditQueryError):
                self.message = "The user_id in the address is not a user id; showing all events."
                query = AuditQuery()
        if query.user_id is not None:
            name = await db.run(_user_name, user_id=query.user_id)
            self.filter_username = name or ""
            if name is None:
                # A deleted account's events keep its username but lose the id (SET NULL).
                self.message = f"No account has the id {query.user_id} (any more)."
        await self._start(query)
        return None

    @rx.event
    @busy_while("paging")
    async def apply_filters(self, form_data: dict[str, Any]):
        """Filter by the form's username, type, outcome, IP and dates; back to the first page."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        form = form_data if isinstance(form_data, dict) else {}
        fields = {key: str(form.get(key) or "")[:256] for key in FIELDS}
        self.filter_username, self.filter_type = fields["username"], fields["type"]
        self.filter_outcome, self.filter_ip = fields["outcome"], fields["ip"]
        self.filter_since, self.filter_until = fields["since"], fields["until"]
        try:
            query = await db.run(query_from_form, fields=fields)
        except FilterError as error:
            self._clear()
            self.message = error.message
            return None
        self.message = ""
        await self._start(query)
        return None

    @rx.event
    @busy_while("paging")
    async def turn_page(self, forward: Any):
        """The next (older) page of events when `forward` is True, else the one before."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        if forward is True and self._next_cursor:
            self._previous_cursors = [*self._previous_cursors, self._page_cursor]
            self.page_number += 1
            await self._load(self._next_cursor)
        elif forward is False and self._previous_cursors:
            # The stack of cursors is kept on the server: the client names no page.
            *self._previous_cursors, cursor = self._previous_cursors
            self.page_number = max(1, self.page_number - 1)
            await self._load(cursor)
        return None

    @rx.event
    @busy_while("exporting")
    async def export_csv(self):
        """Send the filtered events (newest first, capped) to the browser as a CSV file."""
        if await self._require_admin() is None:
            return self._not_admin_redirect()
        export = await db.run(
            audit_export.build_csv, query=self._query, max_rows=CONSOLE_EXPORT_ROWS
        )
        cap = (
            f" (the newest {CONSOLE_EXPORT_ROWS:,}: narrow the dates, or use "
            "`python -m nfp_app audit --csv` for more)"
        )
        self.message = f"Exported {export.row_count:,} events{cap if export.truncated else ''}."
        filename = f"audit-{utcnow():%Y%m%d}.csv"
        return rx.download(data=export.text, filename=filename, mime_type="text/csv")
