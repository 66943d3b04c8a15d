"""NoteEditState: the inline edit of one note's text on /notes."""

from __future__ import annotations

from typing import Any

import reflex as rx

from nfp_app.infra import db
from nfp_app.services import notes
from nfp_app.state import busy
from nfp_app.state.auth import AuthState
from nfp_app.state.login import form_text
from nfp_app.state.note_views import EDIT_FIELD
from nfp_app.state.notes import NotesState


class NoteEditState(AuthState):
    """Which note is being edited; the service re-checks that it is the user's on saving."""

    # The note whose text is being edited (0: none); only ids of the notes this tab loaded.
    editing_id: int = 0
    edit_error: str = ""
    edit_busy: bool = False

    @rx.event
    def open_page(self):
        """On load: no edit under way."""
        self.editing_id = 0
        self.edit_error = ""
        self.edit_busy = False

    @rx.event
    async def start_edit(self, note_id: int):
        """Edit the text of one of the notes shown."""
        listing = await self.get_state(NotesState)
        if await listing._owner() is None:
            return self._login_redirect()
        if not listing._shows(note_id):
            return None
        self.editing_id = note_id
        self.edit_error = ""
        return rx.set_focus(EDIT_FIELD)

    @rx.event
    def cancel_edit(self):
        """Leave the text as it was."""
        self.editing_id = 0
        self.edit_error = ""

    @rx.event
    @busy.busy_while("edit_busy")
    async def save_edit(self, form_data: dict[str, Any]):
        """Save the edited text of the note being edited."""
        listing = await self.get_state(NotesState)
        owner = await listing._owner()
        if owner is None:
            return self._login_redirect()
        if not self.editing_id:
            return None
        try:
            await db.run(
                notes.update_note,
                owner_id=owner,
                note_id=self.editing_id,
                text=form_text(form_data, "text"),
            )
        except notes.NoteTextError as error:
            self.edit_error = error.message
            return rx.set_focus(EDIT_FIELD)
        except notes.NoteNotFoundError:
            pass  # deleted meanwhile (another tab, the API): the reload shows it gone
        self.editing_id = 0
        self.edit_error = ""
        await listing._load(owner)
        return None
