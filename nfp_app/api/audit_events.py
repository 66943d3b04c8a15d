"""GET /audit-events/: the audit log for administrators, filtered and keyset paged."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError

from nfp_app.api.audit_schemas import AuditEventItem, AuditEventPage
from nfp_app.api.deps import FORBIDDEN, UNAUTHORIZED, Admin
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.models import MAX_ROW_ID
from nfp_app.services import audit_cursor, audit_log
from nfp_app.services.audit import Event, Outcome
from nfp_app.services.audit_log import AuditQuery

router = APIRouter(prefix="/audit-events", tags=["audit"])

MAX_PAGE_SIZE = 200
_TIME_HELP = "ISO 8601 date-time; without an offset it is taken as UTC."


def _query_error(field: str, message: str) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "value_error", "loc": ("query", field), "msg": message}]
    )


@router.get(
    "/",
    responses={
        **UNAUTHORIZED,
        **FORBIDDEN,
        422: {"description": "A bad filter, cursor or limit; `detail` names it and says why"},
    },
)
async def list_audit_events(
    _admin: Admin,
    user_id: Annotated[
        int | None, Query(ge=1, le=MAX_ROW_ID, description="Events of this user")
    ] = None,
    event_type: Annotated[Event | None, Query(alias="type", description="Event type")] = None,
    outcome: Annotated[Outcome | None, Query(description="Outcome")] = None,
    ip: Annotated[
        str | None, Query(max_length=audit_log.IP_MAX_LENGTH, description="Client IP, exact")
    ] = None,
    since: Annotated[
        dt.datetime | None, Query(description=f"From (inclusive). {_TIME_HELP}")
    ] = None,
    until: Annotated[dt.datetime | None, Query(description=f"To (exclusive). {_TIME_HELP}")] = None,
    cursor: Annotated[
        str | None,
        Query(max_length=audit_cursor.MAX_CURSOR_LENGTH, description="next_cursor of a page"),
    ] = None,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_PAGE_SIZE,
            description="Page size (default: the USERS_PAGE_SIZE setting, 20)",
        ),
    ] = None,
) -> AuditEventPage:
    """Administrators: one page of audit events, newest first; follow `next_cursor`."""
    query = AuditQuery(
        user_id=user_id, event=event_type, outcome=outcome, ip=ip or None, since=since, until=until
    )
    size = limit or get_settings().users_page_size
    try:
        page = await db.run(audit_log.list_events, query=query, limit=size, cursor=cursor)
    except (audit_log.AuditQueryError, audit_cursor.AuditCursorError) as error:
        raise _query_error(error.field, error.message) from None
    return AuditEventPage(
        items=[AuditEventItem.from_row(row) for row in page.rows], next_cursor=page.next_cursor
    )
