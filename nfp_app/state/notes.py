"""NotesState: the /notes page, the signed-in user's own notes.

Every handler takes note ids from the client, so each one re-checks the session and lets
the service decide whether the note is the caller's: another user's id changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import reflex as rx

from nfp_app.infra import db
from nfp_app.services import notes
from nfp_app.services.notes import NoteView
from nfp_app.state import busy
from nfp_app.state.auth import AuthState
from nfp_app.state.login import form_text
from nfp_app.state.note_views import ADD_FIELD, NoteRow, is_row_id, note_row

# How long "Undo" is offered after a delete; the server refuses an undo after that too.
UNDO_SECONDS = 6.0
PAGE_SIZE = 50


class NotesState(AuthState):
    """The user's notes, served only to the connection that loaded them."""

    show: str = "all"
    add_error: str = ""
    add_busy: bool = False
    _notes: list[NoteRow] = []  # noqa: RUF012  (Reflex copies state defaults per client)
    _next_cursor: str | None = None
    _loaded_for: int | None = None
    # The last deleted note, kept on the server only, for "Undo".
    _deleted: NoteView | None = None
    _deleted_at: float = 0.0

    def _mine(self) -> bool:
        """Whether the loaded notes are this connection's session's."""
        return self._checked_here() and self._loaded_for == self._session_id

    @rx.var(cache=False)
    def notes(self) -> list[NoteRow]:
        """The signed-in user's notes under the current filter, newest first."""
        return self._notes if self._mine() else []

    @rx.var(cache=False)
    def has_more(self) -> bool:
        """Whether older notes are left to show."""
        return self._mine() and self._next_cursor is not None

    @rx.var(cache=False)
    def undo_open(self) -> bool:
        """Whether "Undo" is offered for a note just deleted."""
        return self._mine() and self._deleted is not None

    async def _owner(self) -> int | None:
        """The live user's id (the owner of every note touched), or None: not signed in."""
        user = await self._require_login()
        return user.id if user is not None else None

    async def _load(self, owner_id: int, *, more: bool = False) -> None:
        """The first page under the filter, or (`more`) the next one added below."""
        cursor = self._next_cursor if more else None
        # A reload after an action keeps as many notes on screen as "Show more" had added.
        size = PAGE_SIZE if more else min(max(PAGE_SIZE, len(self._notes)), notes.MAX_PAGE_SIZE)
        page = await db.run(
            notes.list_notes, owner_id=owner_id, show=self.show, limit=size, cursor=cursor
        )
        rows = [note_row(note) for note in page.notes]
        self._notes = [*self._notes, *rows] if more else rows
        self._next_cursor = page.next_cursor
        self._loaded_for = self._session_id

    def _shows(self, note_id: object) -> bool:
        """Whether this note id is among the notes this connection loaded."""
        return is_row_id(note_id) and self._mine() and note_id in {row.id for row in self._notes}

    def _undo_expired(self) -> bool:
        return time.time() - self._deleted_at >= UNDO_SECONDS

    @rx.event
    async def open_page(self):
        """On load: check the session (or go to /login), then load the notes."""
        self.add_error = ""
        self.add_busy = False
        self._deleted = None
        owner = await self._owner()
        if owner is None:
            return self._login_redirect()
        await self._load(owner)
        return None

    @rx.event
    async def choose_filter(self, which: str):
        """Show all notes, the open ones or the done ones."""
        owner = await self._owner()
        if owner is None:
            return self._login_redirect()
        if which in notes.SHOWS:
            self.show = which
        await self._load(owner)
        return None

    @rx.event
    async def show_more(self):
        """Add the next page of older notes."""
        owner = await self._owner()
        if owner is None:
            return self._login_redirect()
        await self._load(owner, more=self._next_cursor is not None)
        return None

    @rx.event
    @busy.busy_while("add_busy")
    async def add(self, form_data: dict[str, Any]):
        """A new note from the form."""
        owner = await self._owner()
        if owner is None:
            return self._login_redirect()
        try:
            await db.run(notes.create_note, owner_id=owner, text=form_text(form_data, "text"))
        except notes.NoteTextError as error:
            self.add_error = error.message
            return rx.set_focus(ADD_FIELD)
        self.add_error = ""
        await self._load(owner)
        return [rx.set_value(ADD_FIELD, ""), rx.set_focus(ADD_FIELD)]

    @rx.event
    async def tick(self, note_id: int, completed: bool):
        """Tick a note off, or open it again."""
        owner = await self._owner()
        if owner is None:
            return self._login_redirect()
        if is_row_id(note_id) and isinstance(completed, bool):
            # Gone, or never this user's: the reload below shows what is there.
            with contextlib.suppress(notes.NoteNotFoundError):
                await db.run(
                    notes.update_note, owner_id=owner, note_id=note_id, completed=completed
                )
        await self._load(owner)
        return None

    @rx.event
    async def delete(self, note_id: int):
        """Delete one of the user's notes, offering "Undo" for a few seconds."""
        owner = await self._owner()
        if owner is None:
            return self._login_redirect()
        if not is_row_id(note_id):
            return None
        try:
            self._deleted = await db.run(notes.delete_note, owner_id=owner, note_id=note_id)
        except notes.NoteNotFoundError:
            await self._load(owner)
            return None
        self._deleted_at = time.time()
        await self._load(owner)
        return NotesState.forget_undo

    @rx.event
    async def undo_delete(self):
        """Bring back the note just deleted, while "Undo" is still offered."""
        owner = await self._owner()
        if owner is None:
            return self._login_redirect()
        deleted, self._deleted = self._deleted, None
        if deleted is not None and not self._undo_expired():
            await db.run(notes.restore_note, owner_id=owner, note=deleted)
        await self._load(owner)
        return None

    @rx.event(background=True)
    async def forget_undo(self):
        """Withdraw "Undo" once its few seconds are over."""
        await asyncio.sleep(UNDO_SECONDS)
        async with self:
            if self._deleted is not None and self._undo_expired():
                self._deleted = None
