"""Which tabs this worker serves hold which session: what the sign-out push works from."""

from __future__ import annotations

from collections import defaultdict

# A bound on the memory a worker spends on this; the oldest sessions are dropped first.
MAX_WATCHED_TABS = 50_000

_tabs: defaultdict[int, set[str]] = defaultdict(set)
_count = 0  # the tokens in `_tabs`, kept so that a sign-in does not have to count them


def watch(session_id: int, client_token: str) -> None:
    """Remember that this tab (Reflex client token) holds this session."""
    global _count  # one register per worker process
    if client_token in _tabs.get(session_id, ()):
        return
    if _count >= MAX_WATCHED_TABS:
        _count -= len(_tabs.pop(next(iter(_tabs))))
    _tabs[session_id].add(client_token)
    _count += 1


def watched_sessions() -> list[int]:
    """The sessions some tab of this worker holds."""
    return list(_tabs)


def take(session_id: int) -> set[str]:
    """The tabs that held a session, forgotten now that it ended."""
    global _count  # one register per worker process
    taken = _tabs.pop(session_id, set())
    _count -= len(taken)
    return taken
