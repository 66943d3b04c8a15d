"""The notes service on SQLite and PostgreSQL: ownership, filters, paging, undo, counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from nfp_app.models import Note, User
from nfp_app.services import accounts, admin_user_detail, notes
from tests.support.accounts import PASSWORD


def _owner(session: Session, name: str) -> int:
    user = accounts.create_user(session=session, username=name, password=PASSWORD)
    session.commit()
    assert user.id is not None
    return user.id


def _texts(page: notes.NotePage) -> list[str]:
    return [note.text for note in page.notes]


def test_each_owner_sees_and_touches_only_their_own(session: Session) -> None:
    alice, bob = _owner(session, "alice"), _owner(session, "bob")
    mine = notes.create_note(session=session, owner_id=alice, text="alice's")
    assert _texts(notes.list_notes(session=session, owner_id=bob)) == []
    for attempt in (
        lambda: notes.update_note(session=session, owner_id=bob, note_id=mine.id, completed=True),
        lambda: notes.delete_note(session=session, owner_id=bob, note_id=mine.id),
        lambda: notes.update_note(session=session, owner_id=bob, note_id=0, text="x"),
        lambda: notes.delete_note(session=session, owner_id=alice, note_id=2**40),
    ):
        with pytest.raises(notes.NoteNotFoundError):
            attempt()
    assert notes.list_notes(session=session, owner_id=alice).notes == (mine,)


def test_filters_and_newest_first(session: Session) -> None:
    alice = _owner(session, "alice")
    for n in range(3):
        notes.create_note(session=session, owner_id=alice, text=f"n{n}", completed=n == 1)
    assert _texts(notes.list_notes(session=session, owner_id=alice)) == ["n2", "n1", "n0"]
    assert _texts(notes.list_notes(session=session, owner_id=alice, show="open")) == ["n2", "n0"]
    assert _texts(notes.list_notes(session=session, owner_id=alice, show="done")) == ["n1"]


def test_paging_through_notes_created_at_the_same_moment(session: Session) -> None:
    alice = _owner(session, "alice")
    moment = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    for n in range(5):
        session.add(Note(owner_id=alice, text=f"n{n}", created_at=moment, updated_at=moment))
    session.commit()
    seen: list[str] = []
    cursor = None
    while True:
        page = notes.list_notes(session=session, owner_id=alice, limit=2, cursor=cursor)
        seen += _texts(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ["n4", "n3", "n2", "n1", "n0"]


def test_undo_puts_the_note_back_in_its_place(session: Session) -> None:
    alice = _owner(session, "alice")
    old = notes.create_note(session=session, owner_id=alice, text="old", completed=True)
    notes.create_note(session=session, owner_id=alice, text="new")
    deleted = notes.delete_note(session=session, owner_id=alice, note_id=old.id)
    assert _texts(notes.list_notes(session=session, owner_id=alice)) == ["new"]
    back = notes.restore_note(session=session, owner_id=alice, note=deleted)
    assert (back.text, back.completed, back.created_at) == ("old", True, old.created_at)
    assert _texts(notes.list_notes(session=session, owner_id=alice)) == ["new", "old"]


def test_console_counts_notes_and_they_go_with_the_account(session: Session) -> None:
    alice, bob = _owner(session, "alice"), _owner(session, "bob")
    for text in ("a", "b"):
        notes.create_note(session=session, owner_id=alice, text=text)
    notes.create_note(session=session, owner_id=bob, text="c")
    session.commit()
    profile = admin_user_detail.load_user_detail(session=session, user_id=alice).profile
    assert profile.notes == 2
    user = session.get(User, alice)
    session.delete(user)
    session.commit()
    session.expunge_all()
    assert [row.owner_id for row in session.exec(select(Note)).all()] == [bob]
