"""/notes/ over REST: the tutorial's calls with a token, ownership, 401, 422 and paging."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import select

from nfp_app.infra import db
from nfp_app.models import Note
from nfp_app.services import notes
from tests.support.api import Account, bearer, login, signup

pytestmark = [pytest.mark.api, pytest.mark.postgres]


def test_tutorial_calls_with_a_token(api: httpx.Client, account: Account) -> None:
    """nfp-test/test_notes.py's POST then GET, in its shapes, with the bearer token added."""
    headers = bearer(login(api, account))
    created = api.post("/notes/", json={"text": "Buy milk", "completed": False}, headers=headers)
    assert created.status_code == 200, created.text
    note = created.json()
    assert set(note) == {"id", "text", "completed"}
    assert (note["text"], note["completed"]) == ("Buy milk", False)
    listed = api.get("/notes/", headers=headers)
    assert listed.status_code == 200
    assert listed.json() == [note]
    assert "x-next-cursor" not in listed.headers


def test_change_and_delete(api: httpx.Client, account: Account) -> None:
    headers = bearer(login(api, account))
    note_id = api.post("/notes/", json={"text": "draft", "completed": False}, headers=headers)
    note_id = note_id.json()["id"]
    ticked = api.patch(f"/notes/{note_id}", json={"completed": True}, headers=headers)
    assert ticked.json() == {"id": note_id, "text": "draft", "completed": True}
    edited = api.patch(f"/notes/{note_id}", json={"text": "  final  "}, headers=headers)
    assert edited.json() == {"id": note_id, "text": "final", "completed": True}
    assert api.delete(f"/notes/{note_id}", headers=headers).status_code == 204
    assert api.get("/notes/", headers=headers).json() == []
    assert api.delete(f"/notes/{note_id}", headers=headers).status_code == 404


def test_another_users_note_is_404_like_a_missing_one(
    api: httpx.Client, account: Account, live_engine: sa.Engine
) -> None:
    owner, intruder = bearer(login(api, account)), bearer(login(api, signup(api)))
    note = api.post("/notes/", json={"text": "mine only", "completed": False}, headers=owner)
    note_id = note.json()["id"]
    missing = api.patch("/notes/2147483647", json={"completed": True}, headers=intruder)
    assert missing.status_code == 404
    for response in (
        api.patch(f"/notes/{note_id}", json={"completed": True}, headers=intruder),
        api.patch(f"/notes/{note_id}", json={"text": "taken over"}, headers=intruder),
        api.delete(f"/notes/{note_id}", headers=intruder),
    ):
        assert (response.status_code, response.json()) == (404, missing.json())
    assert api.get("/notes/", headers=intruder).json() == []
    with db.session_scope(live_engine) as session:
        row = session.get(Note, note_id)
        assert row is not None
        assert (row.text, row.completed) == ("mine only", False)


def test_401_without_a_token(api: httpx.Client, account: Account) -> None:
    note = api.post(
        "/notes/", json={"text": "x", "completed": False}, headers=bearer(login(api, account))
    )
    note_id = note.json()["id"]
    for response in (
        api.get("/notes/"),
        api.post("/notes/", json={"text": "x", "completed": False}),
        api.patch(f"/notes/{note_id}", json={"completed": True}),
        api.delete(f"/notes/{note_id}"),
        api.get("/notes/", headers=bearer("not-a-token")),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write something: a note can't be empty."),
        ("   ", "Write something: a note can't be empty."),
        ("x" * (notes.TEXT_MAX_LENGTH + 1), "A note holds at most 10,000 characters"),
        ("a\x00b", "without NUL characters"),
    ],
)
def test_bad_text_is_422_with_a_clear_message(
    api: httpx.Client, account: Account, text: str, message: str
) -> None:
    headers = bearer(login(api, account))
    for response in (
        api.post("/notes/", json={"text": text, "completed": False}, headers=headers),
        api.patch(
            f"/notes/{api.post('/notes/', json={'text': 'ok'}, headers=headers).json()['id']}",
            json={"text": text},
            headers=headers,
        ),
    ):
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == ["body", "text"]
        assert message in error["msg"]
    assert "x" * notes.TEXT_MAX_LENGTH not in api.get("/notes/", headers=headers).text


def test_the_longest_note_fits(api: httpx.Client, account: Account) -> None:
    headers = bearer(login(api, account))
    text = "y" * notes.TEXT_MAX_LENGTH
    created = api.post("/notes/", json={"text": text, "completed": True}, headers=headers)
    assert created.status_code == 200
    assert created.json()["text"] == text


def test_paging_newest_first(api: httpx.Client, account: Account) -> None:
    headers = bearer(login(api, account))
    made = [
        api.post("/notes/", json={"text": f"note {n}"}, headers=headers).json()["id"]
        for n in range(5)
    ]
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        response = api.get("/notes/", params=params, headers=headers)
        assert response.status_code == 200
        assert len(response.json()) <= 2
        seen += [note["id"] for note in response.json()]
        pages += 1
        cursor = response.headers.get("x-next-cursor")
        if cursor is None:
            break
    assert seen == made[::-1]
    assert pages == 3


def test_a_bad_cursor_or_limit_is_422(api: httpx.Client, account: Account) -> None:
    headers = bearer(login(api, account))
    for params in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": notes.MAX_PAGE_SIZE + 1}):
        response = api.get("/notes/", params=params, headers=headers)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][0] == "query"


def test_notes_go_with_the_account(
    api: httpx.Client, account: Account, live_engine: sa.Engine
) -> None:
    """ON DELETE CASCADE: deleting the account deletes its notes."""
    headers = bearer(login(api, account))
    api.post("/notes/", json={"text": "soon gone"}, headers=headers)
    with db.session_scope(live_engine) as session:
        assert session.exec(select(Note).where(Note.owner_id == account.id)).all()
    deleted = api.request(
        "DELETE",
        "/users/me",
        json={"password": account.password, "confirmation": account.username},
        headers=headers,
    )
    assert deleted.status_code == 204, deleted.text
    with db.session_scope(live_engine) as session:
        assert session.exec(select(Note).where(Note.owner_id == account.id)).all() == []
