"""Opaque keyset cursors for the audit log: the (created_at, id) of the last row of a page.

Not signed: a cursor only says where to resume a listing the caller may see anyway, so a
forged one can reveal nothing. It must still never turn into a 500, so decoding is strict.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass

from nfp_app.models import MAX_ROW_ID

# Far above any real cursor; a longer one is refused before it is decoded.
MAX_CURSOR_LENGTH = 128


class AuditCursorError(ValueError):
    """A cursor that the audit log did not hand out."""

    field = "cursor"

    def __init__(self) -> None:
        self.message = "Invalid cursor: pass back the next_cursor of the previous page unchanged."
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class AuditCursor:
    """Where the last page ended: its last row's time and id."""

    created_at: dt.datetime
    event_id: int


def encode(cursor: AuditCursor) -> str:
    """The opaque text form of a cursor."""
    moment = cursor.created_at.astimezone(dt.UTC).isoformat()
    payload = json.dumps({"t": moment, "i": cursor.event_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(text: str) -> AuditCursor:
    """The cursor behind `text`; raises AuditCursorError for anything this module did not make."""
    if not text or len(text) > MAX_CURSOR_LENGTH:
        raise AuditCursorError()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw.decode())
        if not isinstance(payload, dict) or set(payload) != {"t", "i"}:
            raise AuditCursorError()
        event_id, moment = payload["i"], payload["t"]
        if (
            type(event_id) is not int
            or not 0 < event_id <= MAX_ROW_ID
            or not isinstance(moment, str)
        ):
            raise AuditCursorError()
        created_at = dt.datetime.fromisoformat(moment)
        if created_at.tzinfo is None:
            raise AuditCursorError()
        return AuditCursor(created_at=created_at.astimezone(dt.UTC), event_id=event_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise AuditCursorError() from None
