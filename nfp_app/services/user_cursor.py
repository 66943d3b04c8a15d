"""Opaque keyset cursors for the user directory: where the last page ended, strictly checked.

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
MAX_CURSOR_LENGTH = 256


class CursorError(ValueError):
    """A cursor that this listing did not hand out (or not for this sort)."""

    def __init__(self) -> None:
        super().__init__(
            "Invalid cursor: pass back the next_cursor of the previous page unchanged."
        )


@dataclass(frozen=True, slots=True)
class Cursor:
    """The sort key and id of the last row of a page; `value` is None for never signed in."""

    sort: str
    value: dt.datetime | None
    user_id: int


def encode(cursor: Cursor) -> str:
    """The opaque text form of a cursor."""
    value = cursor.value.isoformat() if cursor.value is not None else None
    payload = json.dumps({"s": cursor.sort, "v": value, "i": cursor.user_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _parse_value(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CursorError()
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise CursorError()
    return moment.astimezone(dt.UTC)


def decode(text: str, *, sort: str) -> Cursor:
    """The cursor behind `text`, handed out for this `sort`; raises CursorError otherwise."""
    if not text or len(text) > MAX_CURSOR_LENGTH:
        raise CursorError()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        payload = json.loads(raw.decode())
        if not isinstance(payload, dict) or set(payload) != {"s", "v", "i"}:
            raise CursorError()
        user_id = payload["i"]
        if payload["s"] != sort or type(user_id) is not int or not 0 < user_id <= MAX_ROW_ID:
            raise CursorError()
        return Cursor(sort=sort, value=_parse_value(payload["v"]), user_id=user_id)
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise CursorError() from None
