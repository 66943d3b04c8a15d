"""Throttling shared by every worker and instance: in Redis with REDIS_URL, else the database.

An attempt is counted before the slow work it guards: under a lock per key, the hits inside
each key's window are counted and, when every key allows it, one hit per key is inserted. So a
concurrent burst gets at most the limit through, never "slightly more". A sign-in that turns
out good releases its hits. Unknown usernames count exactly like existing ones, and nothing
locks for good: a key is free again once its hits age out of the window. Both stores follow
`throttle_rules`; the database one is here, the Redis one in `throttle_redis`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlmodel import Session, col, delete, func, select

from nfp_app.infra import redis_client
from nfp_app.models import ThrottleHit, utcnow
from nfp_app.services import throttle_redis
from nfp_app.services.throttle_rules import Key, Limit, Refused, Reservation, wait_seconds

__all__ = ["Key", "Limit", "Refused", "Reservation", "clear", "release", "reserve", "wait_seconds"]

# One prune removes at most this many expired rows, so no attempt waits on a big cleanup.
_PRUNE_BATCH = 500


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
    return list(
        session.exec(
            select(ThrottleHit.created_at)
            .where(
                col(ThrottleHit.scope) == key.scope,
                col(ThrottleHit.key) == key.value,
                col(ThrottleHit.created_at) > now - limit.window,
            )
            .order_by(col(ThrottleHit.created_at).desc())
            .limit(limit.hits_to_read)
        ).all()
    )


def reserve(
    *, session: Session, keys: Sequence[Key], keep: dt.timedelta, now: dt.datetime | None = None
) -> Reservation | Refused:
    """Count one attempt against every enabled key, or refuse it if any key is at its limit.

    The caller commits at once, which releases the database's locks: the slow check comes
    after. In Redis the hits count at once, whatever becomes of the caller's transaction.
    """
    now = now or utcnow()
    active = [key for key in keys if key.limit.enabled and key.value]
    if (client := redis_client.sync_client()) is not None:
        return throttle_redis.reserve(client, active, now)
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
    if reservation.redis_hits and (client := redis_client.sync_client()) is not None:
        throttle_redis.release(client, reservation)
    if reservation.hit_ids:
        session.exec(delete(ThrottleHit).where(col(ThrottleHit.id).in_(reservation.hit_ids)))


def clear(*, session: Session, key: Key) -> None:
    """Forget every hit of one key, e.g. a client's failures once it signed in."""
    if (client := redis_client.sync_client()) is not None:
        throttle_redis.clear(client, key)
        return
    session.exec(
        delete(ThrottleHit).where(
            col(ThrottleHit.scope) == key.scope, col(ThrottleHit.key) == key.value
        )
    )
