"""SEC-26: the /notes handlers, called over a raw socket with another user's note id, change
nothing and show nothing of it.

The handlers are collected from the app (NotesState, NoteEditState), so a new one must be
taught to this test before it passes.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import sqlalchemy as sa
from reflex.state import BaseState
from sqlmodel import Session, col, select

import nfp_app.nfp_app  # noqa: F401  (registers every state of the app)
from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import Note
from nfp_app.services import accounts, notes
from nfp_app.state.note_edit import NoteEditState
from nfp_app.state.notes import NotesState
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import ReflexSocket, handler, reflex_socket, sign_in

pytestmark = [pytest.mark.security, pytest.mark.postgres]

NOTE_STATES: tuple[type[BaseState], ...] = (NotesState, NoteEditState)
VICTIM_TEXT = "victim's private note 26"
OWN_TEXT = "intruder's own note 26"
SECOND_TEXT = "victim's ticked note 26"


def note_handlers() -> list[tuple[type[BaseState], str]]:
    """Every (notes state, handler) pair of our own, Reflex's setvar aside."""
    return [
        (state, name)
        for state in NOTE_STATES
        for name in sorted(state.event_handlers)
        if name != "setvar"
    ]


def _arguments(state: type[BaseState], name: str, victim_note: int) -> dict[str, Any]:
    """What the page would send to this handler, aimed at the victim's note."""
    by_name: dict[str, Any] = {
        "note_id": victim_note,
        "completed": True,
        "which": "done",
        "form_data": {"text": "taken over", "note_id": str(victim_note)},
    }
    parameters = list(inspect.signature(state.event_handlers[name].fn).parameters)[1:]
    missing = [parameter for parameter in parameters if parameter not in by_name]
    assert not missing, f"{state.__name__}.{name}: teach this test {missing}"
    return {parameter: by_name[parameter] for parameter in parameters}


def _victim_notes(engine: sa.Engine, owner_id: int) -> list[tuple[Any, ...]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Note).where(col(Note.owner_id) == owner_id).order_by(col(Note.id))
        ).all()
        return [(n.id, n.text, n.completed, n.created_at, n.updated_at) for n in rows]


def _call_everything(socket: ReflexSocket, victim_note: int) -> None:
    for state, name in note_handlers():
        if name == "open_page":
            continue  # sent first, below
        socket.send(handler(state, name), _arguments(state, name, victim_note), path=routes.NOTES)
    assert socket.sync(limit=60), "the server closed the connection"


def test_sec26_every_note_handler_is_known() -> None:
    """The notes handlers are the ones this test knows how to call."""
    handlers = note_handlers()
    assert {state for state, _ in handlers} == set(NOTE_STATES)
    for state, name in handlers:
        _arguments(state, name, 1)


def test_sec26_another_users_note_ids_change_nothing(live_app: LiveApp) -> None:
    engine = db.engine_for(live_app.database_url)
    victim, intruder = unique_name("own26"), unique_name("int26")
    create_user(live_app, victim)
    create_user(live_app, intruder)
    with db.session_scope(engine) as session:
        owner = accounts.find_by_username(session=session, username=victim)
        assert owner is not None
        assert owner.id is not None
        victim_id = owner.id
        note = notes.create_note(session=session, owner_id=victim_id, text=VICTIM_TEXT)
        notes.create_note(session=session, owner_id=victim_id, text=SECOND_TEXT, completed=True)
    before = _victim_notes(engine, victim_id)
    with reflex_socket(live_app) as login_tab:
        cookie = sign_in(login_tab, intruder, PASSWORD)
    with reflex_socket(live_app, cookie=cookie) as socket:
        for state in NOTE_STATES:
            socket.send(handler(state, "open_page"), path=routes.NOTES)
        # The positive signal: the page loaded for this user, and their own note shows.
        socket.send(
            handler(NotesState, "add"), {"form_data": {"text": OWN_TEXT}}, path=routes.NOTES
        )
        socket.wait_for(OWN_TEXT)
        _call_everything(socket, note.id)
        assert socket.delta_values("is_authenticated")[-1] is True
        assert not [path for path in socket.redirects() if path.startswith("/login")]
        assert VICTIM_TEXT not in socket.text()
        assert SECOND_TEXT not in socket.text()
        # start_edit refused the id: no edit form opened on it.
        assert note.id not in socket.delta_values("editing_id")
        assert True not in socket.delta_values("undo_open")
    assert _victim_notes(engine, victim_id) == before
