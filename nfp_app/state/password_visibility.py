"""Which password fields of a form show their text (the "Show password" toggles)."""

from __future__ import annotations

from typing import Any

import reflex as rx

# Field ids are short; anything longer is not one of ours and is not kept.
_MAX_FIELD_ID = 40
_MAX_SHOWN = 8


class PasswordVisibility(rx.State, mixin=True):
    """The ids of the password inputs shown as text; the passwords themselves never come here."""

    shown_passwords: list[str] = []  # noqa: RUF012  (Reflex copies state defaults per client)

    @rx.event
    def toggle_password(self, field_id: Any):
        """Show or hide one password field's text."""
        if not isinstance(field_id, str) or not 0 < len(field_id) <= _MAX_FIELD_ID:
            return
        if field_id in self.shown_passwords:
            self.shown_passwords = [shown for shown in self.shown_passwords if shown != field_id]
        elif len(self.shown_passwords) < _MAX_SHOWN:
            self.shown_passwords = [*self.shown_passwords, field_id]

    def _hide_passwords(self) -> None:
        """Every password field back to dots (a new page, or a form that was just sent)."""
        self.shown_passwords = []
