"""Assigning state vars only when their value changes."""

from __future__ import annotations


def assign_changed(state: object, **values: object) -> None:
    """Set the vars whose value differs and leave the rest untouched.

    Reflex marks a var dirty on every assignment, equal or not, and then recomputes what depends
    on it, sends it to the browser and writes the state back; per-event checks assign through
    this so that an unchanged tab costs none of that.
    """
    for name, value in values.items():
        if getattr(state, name) != value:
            setattr(state, name, value)
