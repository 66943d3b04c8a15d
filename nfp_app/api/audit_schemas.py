"""Response bodies of GET /audit-events/ (kept apart from schemas.py, which the user routes use)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from nfp_app.services.audit_log import AuditRow


class AuditEventItem(BaseModel):
    """One audit event: when (UTC), what, with which outcome, for whom, from where."""

    id: int
    created_at: dt.datetime
    event: str
    outcome: str
    user_id: int | None
    username: str
    ip: str
    user_agent: str
    detail: str

    @classmethod
    def from_row(cls, row: AuditRow) -> AuditEventItem:
        """The item for one row of the audit log."""
        return cls(
            id=row.id,
            created_at=row.created_at,
            event=row.event,
            outcome=row.outcome,
            user_id=row.user_id,
            username=row.username,
            ip=row.ip,
            user_agent=row.user_agent,
            detail=row.detail,
        )


class AuditEventPage(BaseModel):
    """One page of events, newest first; pass `next_cursor` back for the next (null: the last)."""

    items: list[AuditEventItem]
    next_cursor: str | None
