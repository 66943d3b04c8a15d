"""The user directory's query, rows and pages: what callers pass and get back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

SortKey = Literal["created", "-created", "last_sign_in", "-last_sign_in"]
SORT_KEYS: tuple[SortKey, ...] = ("created", "-created", "last_sign_in", "-last_sign_in")
# Longer than any username or email: a longer prefix can match nothing.
MAX_QUERY_LENGTH = 254


@dataclass(frozen=True, slots=True)
class UserQuery:
    """What to list: a username or email prefix, status filters (None: any) and the order."""

    prefix: str = ""
    active: bool | None = None
    admin: bool | None = None
    verified: bool | None = None
    sort: SortKey = "created"


@dataclass(frozen=True, slots=True)
class UserRow:
    """One account as the directory shows it: badges, live sessions and the last sign-in."""

    id: int
    username: str
    email: str | None
    is_active: bool
    is_admin: bool
    is_verified: bool
    created_at: dt.datetime
    last_sign_in_at: dt.datetime | None
    active_sessions: int


@dataclass(frozen=True, slots=True)
class UserPage:
    """One page of rows, the number of all matching rows (None: not counted), the next start."""

    rows: list[UserRow]
    total: int | None
    next_cursor: str | None
