"""What throttling counts and when it refuses: the rules both counter stores share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

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

    @property
    def hits_to_read(self) -> int:
        """How many of the newest hits in the window can change `wait_seconds`."""
        return self.hits + (_PROGRESSIVE_LOOKAHEAD if self.max_delay else 0)


@dataclass(frozen=True, slots=True)
class Key:
    """One counter: a scope (what is counted) and a key within it (whose attempts)."""

    scope: str
    value: str
    limit: Limit


@dataclass(frozen=True, slots=True)
class Reservation:
    """The hits one admitted attempt added; releasing them un-counts the attempt.

    Database rows by id, or Redis members as (key, member) pairs.
    """

    hit_ids: tuple[int, ...] = ()
    redis_hits: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Refused:
    """A key is at its limit; nothing was counted."""

    retry_after: int


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
