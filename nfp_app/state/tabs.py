"""Which tabs this worker serves hold which session: what the sign-out push works from."""

from __future__ import annotations

from collections import defaultdict

# A bound on the memory a worker spends on this; the oldest sessions are dropped first.
MAX_WATCHED_TABS = 50_000

_tabs: defaultdict[int, set[str]] = defaultdict(set)


def watch(session_id: int, client_token: str) -> None:
    """Remember that this tab (Reflex client token) holds this session."""
    if sum(len(tokens) for tokens in _tabs.values()) >= MAX_WATCHED_TABS:
        _tabs.pop(next(iter(_tabs)))
    _tabs[session_id].add(client_token)


def watched_sessions() -> list[int]:
    """The sessions some tab of this worker holds."""
    return list(_tabs)


def take(session_id: int) -> set[str]:
    """The tabs that held a session, forgotten now that it ended."""
    return _tabs.pop(session_id, set())
