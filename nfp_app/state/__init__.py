"""Reflex states: one auth state that owns the session, and a state per page on top of it."""
