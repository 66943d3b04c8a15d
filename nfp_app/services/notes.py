"""A user's notes: list, add, change, delete and restore, always scoped to their owner.

Every function takes the owner's id from the caller's checked session or token, never from
the client. A note of another user is treated exactly like one that does not exist, so an id
reveals nothing. Deleting removes the row and returns the note; the /notes page keeps that
copy on the server for a few seconds, and its undo hands it to `restore_note`, which adds
it again (with a new id, its old creation time, text and tick).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, get_args

import sqlalchemy as sa
from sqlmodel import Session, col, select

from nfp_app.models import MAX_ROW_ID, Note, max_length, utcnow
from nfp_app.services import note_cursor

Show = Literal["all", "open", "done"]
SHOWS: tuple[Show, ...] = get_args(Show)
TEXT_MAX_LENGTH = max_length(Note, "text")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class NoteTextError(ValueError):
    """Text that a note cannot hold: empty, too long, or not storable."""

    field = "text"

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NoteNotFoundError(LookupError):
    """No note with this id belongs to the caller (whether or not it exists)."""

    message = "No such note."


@dataclass(frozen=True, slots=True)
class NoteView:
    """One note as the page and the API show it."""

    id: int
    text: str
    completed: bool
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NotePage:
    """One page of notes, newest first, and where the next page starts (None: the last)."""

    notes: tuple[NoteView, ...]
    next_cursor: str | None


def _storable(text: str) -> bool:
    # No NUL (PostgreSQL refuses it) and no lone surrogates (JSON can carry them).
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def check_text(text: str) -> str:
    """The text to store (without surrounding blanks), or NoteTextError with a clear message."""
    cleaned = text.strip()
    if not cleaned:
        raise NoteTextError("Write something: a note can't be empty.")
    if len(cleaned) > TEXT_MAX_LENGTH:
        raise NoteTextError(
            f"A note holds at most {TEXT_MAX_LENGTH:,} characters; this one has {len(cleaned):,}."
        )
    if not _storable(cleaned):
        raise NoteTextError("A note must be plain Unicode text, without NUL characters.")
    return cleaned


def _view(row: Note) -> NoteView:
    assert row.id is not None
    return NoteView(
        id=row.id,
        text=row.text,
        completed=row.completed,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _own(session: Session, owner_id: int, note_id: int) -> Note:
    row = session.get(Note, note_id) if 0 < note_id <= MAX_ROW_ID else None
    if row is None or row.owner_id != owner_id:
        raise NoteNotFoundError()
    return row


def list_notes(
    *,
    session: Session,
    owner_id: int,
    show: Show = "all",
    limit: int = DEFAULT_PAGE_SIZE,
    cursor: str | None = None,
) -> NotePage:
    """The owner's notes, newest first; `cursor` resumes after a page (NoteCursorError if bad)."""
    size = min(max(limit, 1), MAX_PAGE_SIZE)
    query = select(Note).where(col(Note.owner_id) == owner_id)
    if show != "all":
        query = query.where(col(Note.completed) == (show == "done"))
    if cursor:
        after = note_cursor.decode(cursor)
        query = query.where(
            sa.tuple_(col(Note.created_at), col(Note.id)) < (after.created_at, after.note_id)
        )
    rows = session.exec(
        query.order_by(col(Note.created_at).desc(), col(Note.id).desc()).limit(size + 1)
    ).all()
    notes = tuple(_view(row) for row in rows[:size])
    more = len(rows) > size
    last = notes[-1] if notes else None
    next_cursor = (
        note_cursor.encode(note_cursor.NoteCursor(last.created_at, last.id))
        if more and last
        else None
    )
    return NotePage(notes=notes, next_cursor=next_cursor)


def create_note(*, session: Session, owner_id: int, text: str, completed: bool = False) -> NoteView:
    """A new note of the owner's; NoteTextError for text it cannot hold."""
    now = utcnow()
    row = Note(
        owner_id=owner_id,
        text=check_text(text),
        completed=completed,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return _view(row)


def update_note(
    *,
    session: Session,
    owner_id: int,
    note_id: int,
    text: str | None = None,
    completed: bool | None = None,
) -> NoteView:
    """Change the text and/or the tick of one of the owner's notes; None leaves it as it is."""
    row = _own(session, owner_id, note_id)
    if text is not None:
        row.text = check_text(text)
    if completed is not None:
        row.completed = completed
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _view(row)


def delete_note(*, session: Session, owner_id: int, note_id: int) -> NoteView:
    """Delete one of the owner's notes; the note is returned so that an undo can restore it."""
    row = _own(session, owner_id, note_id)
    deleted = _view(row)
    session.delete(row)
    session.flush()
    return deleted


def restore_note(*, session: Session, owner_id: int, note: NoteView) -> NoteView:
    """Add a deleted note back for its owner, in its old place in the list (a new id)."""
    row = Note(
        owner_id=owner_id,
        text=check_text(note.text),
        completed=note.completed,
        created_at=note.created_at,
        updated_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _view(row)


def count_notes(*, session: Session, owner_id: int) -> int:
    """How many notes the owner has (the console shows the number, never the text)."""
    found = session.exec(
        select(sa.func.count()).select_from(Note).where(col(Note.owner_id) == owner_id)
    ).one()
    return int(found)
