"""The console's user list: its filter and sort choices, read from client values, and its rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.security import policy
from nfp_app.services import mfa_store, user_cursor, user_directory
from nfp_app.services.admin_actions import BulkResult
from nfp_app.services.user_directory_types import (
    MAX_QUERY_LENGTH,
    SORT_KEYS,
    SortKey,
    UserPage,
    UserQuery,
    UserRow,
)
from nfp_app.state.views import format_time

ANY = "any"
# Each filter's choices (value, label): the value is what the select sends back.
ACTIVE_CHOICES = ((ANY, "Any status"), ("active", "Active"), ("disabled", "Disabled"))
ADMIN_CHOICES = ((ANY, "Any role"), ("admin", "Administrators"), ("user", "Users"))
VERIFIED_CHOICES = ((ANY, "Any email"), ("verified", "Verified"), ("unverified", "Unverified"))
FILTERS = {"active": ACTIVE_CHOICES, "admin": ADMIN_CHOICES, "verified": VERIFIED_CHOICES}
SORT_CHOICES: tuple[tuple[SortKey, str], ...] = (
    ("-created", "Newest first"),
    ("created", "Oldest first"),
    ("-last_sign_in", "Recent sign-in first"),
    ("last_sign_in", "Oldest sign-in first"),
)
DEFAULT_SORT: SortKey = "-created"
BULK_ACTIONS = ("disable", "revoke")
NOTHING_SELECTED = "Select accounts on this page first."
SEARCH_TOO_LONG = f"Search for at most {MAX_QUERY_LENGTH} characters."
SEARCH_NOT_TEXT = "Search for printable text only."


def choice(value: object, choices: tuple[tuple[str, str], ...]) -> str:
    """A client-sent choice if it is one of `choices`, else "any" (the first)."""
    known = {key for key, _ in choices}
    return value if isinstance(value, str) and value in known else choices[0][0]


def sort_key(value: object) -> SortKey:
    """A client-sent sort if it is a known one, else the default."""
    for key in SORT_KEYS:
        if value == key:
            return key
    return DEFAULT_SORT


def search_problem(value: str) -> str:
    """Why a search text can't be used ("" when it can)."""
    if len(value) > MAX_QUERY_LENGTH:
        return SEARCH_TOO_LONG
    # No name or address holds control characters (and PostgreSQL refuses a NUL).
    if not policy.is_plain_text(value):
        return SEARCH_NOT_TEXT
    return ""


def _flag(value: str, yes: str) -> bool | None:
    return None if value == ANY else value == yes


def user_query(*, prefix: str, active: str, admin: str, verified: str, sort: SortKey) -> UserQuery:
    """The directory query for the list's (already checked) choices."""
    return UserQuery(
        prefix=prefix.strip(),
        active=_flag(active, "active"),
        admin=_flag(admin, "admin"),
        verified=_flag(verified, "verified"),
        sort=sort,
    )


async def fetch_page(query: UserQuery, cursors: list[str]) -> tuple[UserPage, list[str]]:
    """The page starting at the last of `cursors`, and the cursors (none if that one is stale)."""
    limit = get_settings().users_page_size
    if cursors:
        try:
            page = await db.run(
                user_directory.list_users,
                query=query,
                limit=limit,
                cursor=cursors[-1],
                count=False,
            )
        except user_cursor.CursorError:
            cursors = []
        else:
            return page, cursors
    # No count(*): at a million rows it alone would cost more than the whole page may.
    page = await db.run(user_directory.list_users, query=query, limit=limit, count=False)
    return page, cursors


@dataclasses.dataclass(frozen=True)
class ListedUser:
    """One line of the console's user table, as the browser may show it."""

    id: int
    href: str
    username: str
    email: str
    active: bool
    admin: bool
    verified: bool
    sessions: int
    last_sign_in: str
    created: str
    mfa: bool = False
    selected: bool = False


def listed_user(row: UserRow, *, mfa: bool = False) -> ListedUser:
    """A directory row as a line of the table."""
    return ListedUser(
        id=row.id,
        href=routes.admin_user(row.id),
        username=row.username,
        email=row.email or "—",
        active=row.is_active,
        admin=row.is_admin,
        verified=row.is_verified,
        sessions=row.active_sessions,
        last_sign_in="never" if row.last_sign_in_at is None else format_time(row.last_sign_in_at),
        created=format_time(row.created_at),
        mfa=mfa,
    )


async def listed_users(rows: Sequence[UserRow]) -> list[ListedUser]:
    """A page of directory rows as lines of the table, each with its 2FA status."""
    with_mfa = await db.run(mfa_store.enabled_among, user_ids=[row.id for row in rows])
    return [listed_user(row, mfa=row.id in with_mfa) for row in rows]


def total_text(total: int | None, *, shown: int) -> str:
    """How many accounts match, when the directory counted them; "none" when the page is empty."""
    if shown == 0:
        return "No accounts match."
    if total is None:
        return ""
    return "1 account" if total == 1 else f"{total:,} accounts"


def bulk_summary(action: str, result: BulkResult) -> str:
    """What a bulk action did and what it refused, in words."""
    verb = "Disabled" if action == "disable" else "Ended the sessions of"
    parts = [f"{verb} {', '.join(result.done)}." if result.done else "Nothing was changed."]
    parts += [f"Refused for {name}: {why}" for name, why in result.refused]
    return " ".join(parts)
