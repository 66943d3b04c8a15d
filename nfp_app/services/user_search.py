"""The directory's WHERE and how a prefix search finds its page (three plans, see `find`).

A prefix is the byte range `lower(x) ~>=~ p AND lower(x) ~<~ successor(p)` on PostgreSQL
(LIKE on SQLite), which the text_pattern_ops indexes of migration 0008 serve. The planner
assumes matches are spread evenly along the sort order, so it walks the created_at (or
last_login_at) index and filters: fine when matches are everywhere, a scan of most of the
table when they all sit at its far end (measured at 1M users: 0.3-2 s). So a prefix search
first walks at most `PROBE` rows of the order; if they hold no match, the matches are read
from the prefix indexes alone (index-only: they include every column the query needs) and
only they are sorted: about 0.15 ms per 1,000 matches (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql.util import ClauseAdapter
from sqlmodel import Session, col, func, select

from nfp_app.models import User
from nfp_app.services.user_directory_types import UserQuery

# Walking this many rows costs 3-4 ms at 1M users: cheap next to a wrong plan, and enough to
# see whether matches are near (a filter as sparse as 1 in 1,000 still shows some).
PROBE = 10_000


@dataclass(frozen=True, slots=True)
class Filters:
    """One condition per searched column (empty: no prefix), and the status filters."""

    matches: list[Any]
    conditions: list[Any]

    def all(self) -> list[Any]:
        """Every condition: the prefix on either column, and the filters."""
        return [sa.or_(*self.matches), *self.conditions] if self.matches else self.conditions


def like_prefix(prefix: str) -> str:
    """The LIKE pattern (escape character backslash) of everything starting with `prefix`."""
    escaped = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def successor(prefix: str) -> str | None:
    """The first string after all those starting with `prefix`, in code point order (which is
    UTF-8 byte order, text_pattern_ops' order); None if there is none."""
    stem = prefix.rstrip(chr(0x10FFFF))
    if not stem:
        return None
    code = ord(stem[-1]) + 1
    return stem[:-1] + chr(0xE000 if 0xD800 <= code <= 0xDFFF else code)  # skip surrogates


def _starts_with(lowered: Any, prefix: str, *, postgres: bool) -> Any:
    """`lowered` starts with `prefix` (lower case already).

    PostgreSQL gets the byte range that only the text_pattern_ops indexes serve: unlike LIKE,
    nothing is rechecked per entry (10% of a 170,000-match search), and no other index on
    lower(email) can be chosen instead (with the C collation, uq_user_email_lower serves LIKE
    but not index-only: 1.5x slower at 1M users).
    """
    upper = successor(prefix)
    if not postgres or upper is None:
        return lowered.like(like_prefix(prefix), escape="\\")
    at_least = lowered.op("~>=~", is_comparison=True)(prefix)
    return sa.and_(at_least, lowered.op("~<~", is_comparison=True)(upper))


def filters(query: UserQuery, *, postgres: bool) -> Filters:
    """The prefix conditions (username or email) and the status filters of `query`."""
    matches: list[Any] = []
    if query.prefix:
        prefix = query.prefix.lower()
        for column in (col(User.username), col(User.email)):
            matches.append(_starts_with(func.lower(column), prefix, postgres=postgres))
    conditions: list[Any] = []
    if query.active is not None:
        conditions.append(col(User.is_active).is_(query.active))
    if query.admin is not None:
        conditions.append(col(User.is_admin).is_(query.admin))
    if query.verified is not None:
        verified_at = col(User.email_verified_at)
        conditions.append(verified_at.is_not(None) if query.verified else verified_at.is_(None))
    return Filters(matches=matches, conditions=conditions)


def _ordered(columns: Iterable[Any], descending: bool) -> list[Any]:
    return [column.desc() if descending else column for column in columns]


def find(
    session: Session,
    found: Filters,
    *,
    bounds: list[Any],
    order: list[Any],
    descending: bool,
    limit: int,
) -> Sequence[User]:
    """The first `limit` matching rows within `bounds` (segment and cursor) in `order`."""
    sort = _ordered(order, descending)
    walk = select(User).where(*bounds, *found.all()).order_by(*sort).limit(limit)
    if not found.matches:
        return session.exec(walk).all()
    # The probe: the first matches among the next PROBE rows of the order. A full page is the
    # answer (nothing earlier was skipped); a few matches say the walk will find the rest.
    window = select(User).where(*bounds).order_by(*sort).limit(PROBE).subquery()
    adapter = ClauseAdapter(window)  # the same conditions, on the window's columns
    adapted: list[Any] = [adapter.traverse(condition) for condition in found.all()]
    probe = (
        select(aliased(User, window))
        .where(*adapted)
        .order_by(*_ordered((window.c[column.key] for column in order), descending))
        .limit(limit)
    )
    probed = session.exec(probe).all()
    if len(probed) >= limit:
        return probed
    if probed:
        # Matches, but thin (a filter as sparse as 1 in 1,000 shows ten): walking on finds the
        # rest in a few ms, where sorting every match of a common prefix takes up to 0.6 s.
        return session.exec(walk).all()
    # None near: the matches are few, or far along the order (demo names are numbered in
    # signup order: `demo_09` is the newest 10%). Sort them, whatever their number.
    return session.exec(_sorted_matches(found, bounds, order, descending, limit)).all()


def _sorted_matches(
    found: Filters, bounds: list[Any], order: list[Any], descending: bool, limit: int
) -> Any:
    """The first rows of each column's matches (an index-only scan fenced with OFFSET 0, so
    the planner cannot turn it back into a walk), merged, then read in full."""
    branches = []
    for match in found.matches:
        matching = select(*order).where(match, *found.conditions, *bounds).offset(0).subquery()
        first = (
            select(*matching.c).order_by(*_ordered(matching.c, descending)).limit(limit)
        ).subquery()
        branches.append(select(*first.c))  # SQLite: no ORDER BY inside a UNION's member
    top = sa.union(*branches).subquery()
    joined = select(User).join(top, col(User.id) == top.c.id)
    return joined.order_by(*_ordered(top.c, descending)).limit(limit)
