"""The page states: every state class below AuthState, which may hold per-user data."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nfp_app.state.auth import AuthState


def page_state_classes() -> Iterator[type[AuthState]]:
    """Every state class below AuthState: the page states, which may hold per-user data."""
    from nfp_app.state.auth import AuthState  # here: auth.py imports this module

    pending: list[type[AuthState]] = [AuthState]
    while pending:
        for substate in pending.pop().get_substates():
            assert issubclass(substate, AuthState)
            pending.append(substate)
            yield substate
