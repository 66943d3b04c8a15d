"""What /notes shows of a note, and the checks of what the browser sends about one."""

from __future__ import annotations

import dataclasses

from nfp_app.models import MAX_ROW_ID
from nfp_app.services.notes import NoteView

# The ids of the text fields of the add form and of the inline edit (one at a time).
ADD_FIELD = "note-text"
EDIT_FIELD = "edit-text"


@dataclasses.dataclass(frozen=True)
class NoteRow:
    """One note as the page shows it."""

    id: int
    text: str
    completed: bool


def note_row(note: NoteView) -> NoteRow:
    """The browser-safe view of a note."""
    return NoteRow(id=note.id, text=note.text, completed=note.completed)


def is_row_id(value: object) -> bool:
    """Whether a value from the client can be a note's id."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ROW_ID
