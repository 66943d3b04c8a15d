"""/notes/: the tutorial's notes, now each caller's own, behind the bearer token.

The list keeps the tutorial's plain JSON array; the next page's cursor travels in the
X-Next-Cursor response header. Another user's note id answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Response, status
from pydantic import BaseModel, Field

from nfp_app.api import errors
from nfp_app.api.deps import UNAUTHORIZED, Caller
from nfp_app.api.schemas import Error
from nfp_app.infra import db
from nfp_app.models import MAX_ROW_ID
from nfp_app.services import note_cursor, notes
from nfp_app.services.notes import NoteView

router = APIRouter(prefix="/notes", tags=["notes"])

NEXT_CURSOR_HEADER = "X-Next-Cursor"
# Far above what a note holds: longer text still gets the service's clear 422 message.
TEXT_INPUT_MAX = 4 * notes.TEXT_MAX_LENGTH
_TEXT_HELP = f"1 to {notes.TEXT_MAX_LENGTH:,} characters; blanks around it are dropped."
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "No such note of the caller's (or another user's)"}
}
BAD_TEXT: dict[int | str, dict[str, Any]] = {
    422: {"description": "Empty or oversized text, or a bad field; `detail` says which and why"}
}
NoteId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="The note's id")]


class NoteIn(BaseModel):
    """A new note, in the tutorial's shape."""

    text: str = Field(max_length=TEXT_INPUT_MAX, description=_TEXT_HELP)
    completed: bool = False


class NoteChange(BaseModel):
    """What to change in a note; a field left out (or null) stays as it is."""

    text: str | None = Field(default=None, max_length=TEXT_INPUT_MAX, description=_TEXT_HELP)
    completed: bool | None = None


class NoteOut(BaseModel):
    """A note, in the tutorial's shape."""

    id: int
    text: str
    completed: bool

    @classmethod
    def of(cls, note: NoteView) -> NoteOut:
        """The API's view of a note."""
        return cls(id=note.id, text=note.text, completed=note.completed)


def _caller_id(caller: Caller) -> int:
    assert caller.user.id is not None
    return caller.user.id


@router.get(
    "/",
    summary="List your notes",
    responses={
        200: {
            "description": "The caller's notes, newest first",
            "headers": {
                NEXT_CURSOR_HEADER: {
                    "description": "Pass it as `cursor` for the next page; absent on the last",
                    "schema": {"type": "string"},
                }
            },
        },
        **UNAUTHORIZED,
        422: {"description": "A bad cursor or limit; `detail` names it and says why"},
    },
)
async def list_notes(
    caller: Caller,
    response: Response,
    limit: Annotated[
        int,
        Query(ge=1, le=notes.MAX_PAGE_SIZE, description="Page size"),
    ] = notes.DEFAULT_PAGE_SIZE,
    cursor: Annotated[
        str | None,
        Query(
            max_length=note_cursor.MAX_CURSOR_LENGTH,
            description=f"The {NEXT_CURSOR_HEADER} header of the previous page",
        ),
    ] = None,
) -> list[NoteOut]:
    """The caller's own notes, newest first, `limit` at a time; follow X-Next-Cursor."""
    try:
        page = await db.run(
            notes.list_notes, owner_id=_caller_id(caller), limit=limit, cursor=cursor
        )
    except note_cursor.NoteCursorError as error:
        raise errors.validation_error("cursor", error.message, where="query") from None
    if page.next_cursor is not None:
        response.headers[NEXT_CURSOR_HEADER] = page.next_cursor
    return [NoteOut.of(note) for note in page.notes]


@router.post("/", summary="Add a note", responses={**UNAUTHORIZED, **BAD_TEXT})
async def create_note(body: NoteIn, caller: Caller) -> NoteOut:
    """A new note of the caller's, answered with 200 and the note, as in the tutorial."""
    try:
        note = await db.run(
            notes.create_note, owner_id=_caller_id(caller), text=body.text, completed=body.completed
        )
    except notes.NoteTextError as error:
        raise errors.validation_error(error.field, error.message) from None
    return NoteOut.of(note)


@router.patch(
    "/{note_id}", summary="Change a note", responses={**UNAUTHORIZED, **NOT_FOUND, **BAD_TEXT}
)
async def update_note(note_id: NoteId, body: NoteChange, caller: Caller) -> NoteOut:
    """Change the text and/or the tick of one of the caller's notes."""
    try:
        note = await db.run(
            notes.update_note,
            owner_id=_caller_id(caller),
            note_id=note_id,
            text=body.text,
            completed=body.completed,
        )
    except notes.NoteNotFoundError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, error.message) from None
    except notes.NoteTextError as error:
        raise errors.validation_error(error.field, error.message) from None
    return NoteOut.of(note)


@router.delete(
    "/{note_id}",
    summary="Delete a note",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**UNAUTHORIZED, **NOT_FOUND},
)
async def delete_note(note_id: NoteId, caller: Caller) -> Response:
    """Delete one of the caller's notes for good (the page's undo is the page's own)."""
    try:
        await db.run(notes.delete_note, owner_id=_caller_id(caller), note_id=note_id)
    except notes.NoteNotFoundError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, error.message) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)
