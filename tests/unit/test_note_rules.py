"""The notes' pure rules: the text a note holds and the paging cursor."""

from __future__ import annotations

import datetime as dt

import pytest

from nfp_app.models import MAX_ROW_ID
from nfp_app.services import note_cursor, notes
from nfp_app.state.note_views import is_row_id


def test_text_is_kept_without_surrounding_blanks() -> None:
    assert notes.check_text("  Buy milk \n") == "Buy milk"
    assert notes.check_text("x" * notes.TEXT_MAX_LENGTH) == "x" * notes.TEXT_MAX_LENGTH


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "can't be empty"),
        (" \n\t", "can't be empty"),
        ("x" * (notes.TEXT_MAX_LENGTH + 1), "at most 10,000 characters; this one has 10,001"),
        ("a\x00b", "without NUL characters"),
        ("a\ud800b", "plain Unicode text"),
    ],
)
def test_text_a_note_cannot_hold(text: str, message: str) -> None:
    with pytest.raises(notes.NoteTextError) as refused:
        notes.check_text(text)
    assert message in refused.value.message


def test_the_limit_comes_from_the_model() -> None:
    assert notes.TEXT_MAX_LENGTH == 10_000


def test_cursor_round_trip() -> None:
    cursor = note_cursor.NoteCursor(dt.datetime(2026, 12, 7, 1, 2, 3, 456, tzinfo=dt.UTC), 42)
    assert note_cursor.decode(note_cursor.encode(cursor)) == cursor


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-a-cursor",
        "x" * (note_cursor.MAX_CURSOR_LENGTH + 1),
        note_cursor.encode(note_cursor.NoteCursor(dt.datetime.now(dt.UTC), MAX_ROW_ID))[:-2],
        "eyJ0IjoiMjAyNi0xMi0wN1QwMDowMDowMCIsImkiOjF9",  # a time without an offset
        "eyJ0IjoiMjAyNi0xMi0wN1QwMDowMDowMFoiLCJpIjowfQ",  # id 0
        "eyJ0IjoiMjAyNi0xMi0wN1QwMDowMDowMFoiLCJpIjp0cnVlfQ",  # id true
    ],
)
def test_cursors_it_did_not_make_are_refused(text: str) -> None:
    with pytest.raises(note_cursor.NoteCursorError):
        note_cursor.decode(text)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (1, True),
        (MAX_ROW_ID, True),
        (0, False),
        (-1, False),
        (MAX_ROW_ID + 1, False),
        (True, False),
        ("1", False),
        (None, False),
        (1.0, False),
    ],
)
def test_only_plausible_ids_from_the_client(value: object, valid: bool) -> None:
    assert is_row_id(value) is valid
