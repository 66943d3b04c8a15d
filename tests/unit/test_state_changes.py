"""assign_changed: only vars whose value differs are assigned (so Reflex marks only them dirty)."""

from __future__ import annotations

from typing import Any

from nfp_app.state.changes import assign_changed


class RecordingState:
    """Records every assignment, as Reflex's dirty-var tracking sees them."""

    assigned: list[str]
    user: str
    flag: bool

    def __init__(self) -> None:
        object.__setattr__(self, "assigned", [])
        object.__setattr__(self, "user", "alice")
        object.__setattr__(self, "flag", False)

    def __setattr__(self, name: str, value: Any) -> None:
        self.assigned.append(name)
        object.__setattr__(self, name, value)


def test_an_unchanged_value_is_not_assigned() -> None:
    """An equal value would still mark the var dirty, so it must not be assigned at all."""
    state = RecordingState()
    assign_changed(state, user="alice", flag=False)
    assert state.assigned == []


def test_a_changed_value_is_assigned() -> None:
    """A different value is assigned, and only that one."""
    state = RecordingState()
    assign_changed(state, user="bob", flag=False)
    assert state.assigned == ["user"]
    assert state.user == "bob"
