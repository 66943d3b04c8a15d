"""Throttling counters in Redis: one sorted set of hit times per key, for scaled-out apps.

The rules are the database store's (`throttle_rules.wait_seconds` on the newest hits inside the
window); atomicity comes from an optimistic transaction: WATCH every key, read, decide, then
MULTI/EXEC the new hits, and start again if another attempt changed a key in between. So a
concurrent burst gets at most the limit through, as with the database's locks. Key names hold
a digest of the scope and value, never a username or address in clear, and expire once their
window has passed, so nothing grows for good.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
import uuid
from collections.abc import Sequence

import redis
from redis.client import Pipeline

from nfp_app.services.throttle_rules import Key, Refused, Reservation, wait_seconds

PREFIX = "nfp_app:throttle:"
# Contended keys retry with a short random pause; this many failed rounds is a fault.
_MAX_ROUNDS = 1000
_MICROS = 1_000_000


class ThrottleContentionError(RuntimeError):
    """Redis kept changing under one attempt; it was not counted."""


def redis_key(key: Key) -> str:
    """The sorted set of one key: named by a digest, so no username or IP is stored in clear."""
    digest = hashlib.sha256(f"{key.scope}\0{key.value}".encode()).hexdigest()[:40]
    return f"{PREFIX}{key.scope}:{digest}"


def _score(moment: dt.datetime) -> int:
    # Whole microseconds since the epoch: exact in a Redis score (a double) for millennia.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return round(aware.timestamp() * _MICROS)


def _moment(score: float, like: dt.datetime) -> dt.datetime:
    moment = dt.datetime.fromtimestamp(score / _MICROS, dt.UTC)
    return moment if like.tzinfo else moment.replace(tzinfo=None)


def _recent(pipe: Pipeline, name: str, key: Key, now: dt.datetime) -> list[dt.datetime]:
    """The newest hits inside the window, newest first (the database store's `_recent`)."""
    floor = _score(now - key.limit.window)
    # A watching pipeline runs commands at once; redis-py's stubs cannot tell.
    rows: list[tuple[bytes, float]] = pipe.zrevrangebyscore(  # pyright: ignore[reportAssignmentType]
        name, "+inf", f"({floor}", start=0, num=key.limit.hits_to_read, withscores=True
    )
    return [_moment(score, now) for _member, score in rows]


def _try_once(
    client: redis.Redis, pairs: list[tuple[str, Key]], now: dt.datetime
) -> Reservation | Refused:
    with client.pipeline() as pipe:
        pipe.watch(*(name for name, _key in pairs))
        wait = max(wait_seconds(_recent(pipe, n, k, now), k.limit, now) for n, k in pairs)
        if wait:
            return Refused(retry_after=wait)
        member, score = uuid.uuid4().hex, _score(now)
        pipe.multi()
        for name, key in pairs:
            window = int(key.limit.window.total_seconds())
            pipe.zremrangebyscore(name, "-inf", score - window * _MICROS)
            pipe.zadd(name, {member: score})
            # A key's hits stop mattering a window after the newest; then the key goes.
            pipe.expire(name, window + 1)
        pipe.execute()
        return Reservation(redis_hits=tuple((name, member) for name, _key in pairs))


def reserve(client: redis.Redis, keys: Sequence[Key], now: dt.datetime) -> Reservation | Refused:
    """Count one attempt against every key (all enabled), or refuse it if any is at its limit."""
    if not keys:
        return Reservation()
    pairs = [(redis_key(key), key) for key in keys]
    for round_ in range(_MAX_ROUNDS):
        try:
            return _try_once(client, pairs, now)
        except redis.WatchError:
            # Another attempt counted first: read again, after a pause that spreads the herd.
            time.sleep(random.uniform(0, 0.0005 * min(round_ + 1, 20)))  # noqa: S311
    raise ThrottleContentionError(f"throttle keys kept changing for {_MAX_ROUNDS} rounds")


def release(client: redis.Redis, reservation: Reservation) -> None:
    """Un-count an attempt that turned out good."""
    with client.pipeline(transaction=True) as pipe:
        for name, member in reservation.redis_hits:
            pipe.zrem(name, member)
        pipe.execute()


def clear(client: redis.Redis, key: Key) -> None:
    """Forget every hit of one key."""
    client.delete(redis_key(key))
