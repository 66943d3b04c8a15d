"""Opaque keyset cursors for one user's notes: the (created_at, id) of a page's last note.

Not signed: a cursor only says where to resume the caller's own listing, and the listing is
always scoped to the caller, so a forged one reveals nothing. Decoding is strict all the
same, so that no input turns into a 500.
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


class NoteCursorError(ValueError):
    """A cursor that the notes listing did not hand out."""

    field = "cursor"

    def __init__(self) -> None:
        self.message = "Invalid cursor: pass back the X-Next-Cursor of the previous page unchanged."
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class NoteCursor:
    """Where the last page ended: its last note's creation time and id."""

    created_at: dt.datetime
    note_id: int


def encode(cursor: NoteCursor) -> str:
    """The opaque text form of a cursor."""
    moment = cursor.created_at.astimezone(dt.UTC).isoformat()
    payload = json.dumps({"t": moment, "i": cursor.note_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(text: str) -> NoteCursor:
    """The cursor behind `text`; raises NoteCursorError for anything this module did not make."""
    if not text or len(text) > MAX_CURSOR_LENGTH:
        raise NoteCursorError()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw.decode())
        if not isinstance(payload, dict) or set(payload) != {"t", "i"}:
            raise NoteCursorError()
        note_id, moment = payload["i"], payload["t"]
        if type(note_id) is not int or not 0 < note_id <= MAX_ROW_ID or not isinstance(moment, str):
            raise NoteCursorError()
        created_at = dt.datetime.fromisoformat(moment)
        if created_at.tzinfo is None:
            raise NoteCursorError()
        return NoteCursor(created_at=created_at.astimezone(dt.UTC), note_id=note_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise NoteCursorError() from None
