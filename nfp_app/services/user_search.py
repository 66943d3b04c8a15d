"""The directory's prefix search: a username or email that starts with the typed text.

`lower(x) LIKE 'prefix%'` is what the text_pattern_ops indexes of migration 0005 serve. The
planner assumes matches are spread evenly along the sort order, so for a rare prefix it walks
the created_at (or last_login_at) index and filters: fine when matches are everywhere, a
scan of most of the table when they all sit at its far end (measured: 0.5-2 s at 1M users).
So a prefix with at most `RARE` matches per column is looked up through the prefix indexes
first (a materialised CTE the planner cannot fold back), and only those rows are sorted.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from nfp_app.models import User

# Sorting this many rows costs a few ms; a prefix with more matches per column is common
# enough that walking the sort order finds a page quickly (unless they cluster, see above).
RARE = 20_000


def like_prefix(prefix: str) -> str:
    """The LIKE pattern (escape character backslash) of everything starting with `prefix`."""
    escaped = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _column_matches(prefix: str) -> list[Any]:
    pattern = like_prefix(prefix)
    return [
        func.lower(col(User.username)).like(pattern, escape="\\"),
        func.lower(col(User.email)).like(pattern, escape="\\"),
    ]


def _is_rare(session: Session, matches: list[Any]) -> bool:
    for match in matches:
        capped = select(col(User.id)).where(match).limit(RARE + 1).subquery()
        if session.exec(select(func.count()).select_from(capped)).one() > RARE:
            return False
    return True


def prefix_condition(session: Session, prefix: str) -> Any:
    """The WHERE condition of a prefix search, shaped for the plan that suits the prefix."""
    matches = _column_matches(prefix)
    if not _is_rare(session, matches):
        return sa.or_(*matches)
    candidates = (
        sa.union(select(col(User.id)).where(matches[0]), select(col(User.id)).where(matches[1]))
        .cte("prefix_match")
        .prefix_with("MATERIALIZED")
    )
    return col(User.id).in_(select(candidates.c.id))
