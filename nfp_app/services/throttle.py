"""Throttling through the database, shared by every worker and instance.

An attempt is counted before the slow work it guards: under a lock per key, the hits inside
each key's window are counted and, when every key allows it, one hit per key is inserted. So a
concurrent burst gets at most the limit through, never "slightly more". A sign-in that turns
out good releases its hits. Unknown usernames count exactly like existing ones, and nothing
locks for good: a key is free again once its hits age out of the window.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, delete, func, select

from nfp_app.models import ThrottleHit, utcnow

# One prune removes at most this many expired rows, so no attempt waits on a big cleanup.
_PRUNE_BATCH = 500
# Progressive delays stop growing long before this many extra hits, so no more are read.
_PROGRESSIVE_LOOKAHEAD = 32


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `hits` per `window`; 0 turns the limit off.

    With `max_delay`, reaching the limit spaces attempts out instead of refusing them for the
    rest of the window: each further hit doubles the wait after the latest one (1 s, 2 s, 4 s
    and so on), up to `max_delay`.
    """

    hits: int
    window: dt.timedelta
    max_delay: dt.timedelta | None = None

    @property
    def enabled(self) -> bool:
        """Whether this limit applies at all."""
        return self.hits > 0


@dataclass(frozen=True, slots=True)
class Key:
    """One counter: a scope (what is counted) and a key within it (whose attempts)."""

    scope: str
    value: str
    limit: Limit


@dataclass(frozen=True, slots=True)
class Reservation:
    """The hits one admitted attempt inserted; releasing them un-counts the attempt."""

    hit_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Refused:
    """A key is at its limit; nothing was counted."""

    retry_after: int


def _lock_id(key: Key) -> int:
    digest = hashlib.sha256(f"nfp_app throttle {key.scope} {key.value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _lock(session: Session, keys: Sequence[Key]) -> None:
    # PostgreSQL: one transaction-scoped advisory lock per key, taken in a fixed order so two
    # attempts never wait on each other in a cycle. SQLite: the first write of the transaction
    # (the prune that follows) takes the database's single write lock, which is held to commit.
    if session.get_bind().dialect.name == "postgresql":
        for lock_id in sorted({_lock_id(key) for key in keys}):
            session.exec(select(func.pg_advisory_xact_lock(lock_id))).all()


def _prune(session: Session, keep: dt.timedelta, now: dt.datetime) -> None:
    stale = select(ThrottleHit.id).where(col(ThrottleHit.created_at) < now - keep)
    stale = stale.order_by(col(ThrottleHit.id)).limit(_PRUNE_BATCH)
    if session.get_bind().dialect.name == "postgresql":
        # Another attempt may be pruning the same rows: skip them rather than wait.
        stale = stale.with_for_update(skip_locked=True)
    session.exec(delete(ThrottleHit).where(col(ThrottleHit.id).in_(stale.scalar_subquery())))


def _recent(session: Session, key: Key, now: dt.datetime) -> list[dt.datetime]:
    limit = key.limit
    wanted = limit.hits + (_PROGRESSIVE_LOOKAHEAD if limit.max_delay else 0)
    return list(
        session.exec(
            select(ThrottleHit.created_at)
            .where(
                col(ThrottleHit.scope) == key.scope,
                col(ThrottleHit.key) == key.value,
                col(ThrottleHit.created_at) > now - limit.window,
            )
            .order_by(col(ThrottleHit.created_at).desc())
            .limit(wanted)
        ).all()
    )


def wait_seconds(recent: Sequence[dt.datetime], limit: Limit, now: dt.datetime) -> int:
    """Seconds before the next hit is allowed, given the hits in the window, newest first."""
    if not limit.enabled or len(recent) < limit.hits:
        return 0
    if limit.max_delay is None:
        # Free again when the oldest of the last `hits` hits leaves the window.
        free_at = recent[limit.hits - 1] + limit.window
    else:
        excess = len(recent) - limit.hits
        delay = min(dt.timedelta(seconds=2**excess), limit.max_delay)
        free_at = min(recent[0] + delay, recent[limit.hits - 1] + limit.window)
    seconds = (free_at - now).total_seconds()
    return max(0, int(seconds + 0.999))


def reserve(
    *, session: Session, keys: Sequence[Key], keep: dt.timedelta, now: dt.datetime | None = None
) -> Reservation | Refused:
    """Count one attempt against every enabled key, or refuse it if any key is at its limit.

    The caller commits at once, which releases the locks: the slow check comes after.
    """
    now = now or utcnow()
    active = [key for key in keys if key.limit.enabled and key.value]
    _lock(session, active)
    _prune(session, keep, now)
    wait = max(
        (wait_seconds(_recent(session, key, now), key.limit, now) for key in active), default=0
    )
    if wait:
        return Refused(retry_after=wait)
    hits = [ThrottleHit(scope=key.scope, key=key.value, created_at=now) for key in active]
    session.add_all(hits)
    session.flush()
    return Reservation(hit_ids=tuple(hit.id for hit in hits if hit.id is not None))


def release(*, session: Session, reservation: Reservation) -> None:
    """Un-count an attempt that turned out good."""
    if reservation.hit_ids:
        session.exec(delete(ThrottleHit).where(col(ThrottleHit.id).in_(reservation.hit_ids)))


def clear(*, session: Session, key: Key) -> None:
    """Forget every hit of one key, e.g. a client's failures once it signed in."""
    session.exec(
        delete(ThrottleHit).where(
            col(ThrottleHit.scope) == key.scope, col(ThrottleHit.key) == key.value
        )
    )
