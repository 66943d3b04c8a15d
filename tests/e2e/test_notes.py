"""/notes in Chromium: add, tick, edit, filter, delete with undo; other users' notes and
anonymous visitors see nothing."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session, col, select

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import Note
from nfp_app.services import accounts, notes
from nfp_app.state.notes import PAGE_SIZE
from tests.support.accounts import create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import (
    ContextFactory,
    goto_ready,
    hydrations,
    login,
    login_page_ready,
    new_page,
    sample_frames,
    sampled,
    socket_frames,
    wait_hydrated,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def open_notes(page: Page) -> None:
    """Follow the header's link to /notes and wait until its notes are loaded."""
    before = hydrations(page)
    page.click("#nav-notes")
    wait_hydrated(page, before, "/notes")
    expect(page.locator("#note-add")).to_be_enabled()


def add_note(page: Page, text: str) -> None:
    page.fill("#note-text", text)
    page.click("#note-add")
    expect(note_row(page, text)).to_be_visible()
    expect(page.locator("#note-text")).to_have_value("")


def note_row(page: Page, text: str) -> Locator:
    return page.locator("li.note", has=page.locator(".note-text", has_text=text))


def _stored(app: LiveApp, username: str) -> list[tuple[str, bool]]:
    engine = db.engine_for(app.database_url)
    with Session(engine) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        rows = session.exec(
            select(Note).where(col(Note.owner_id) == user.id).order_by(col(Note.id))
        ).all()
        return [(row.text, row.completed) for row in rows]


def _add_stored(app: LiveApp, username: str, text: str) -> None:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert user.id is not None
        notes.create_note(session=session, owner_id=user.id, text=text)


def test_add_tick_filter_edit_delete_and_undo(page: Page, live_app: LiveApp) -> None:
    username = unique_name("notes")
    create_user(live_app, username)
    login(page, live_app, username)
    open_notes(page)
    expect(page.locator("#notes-empty")).to_be_visible()

    add_note(page, "Buy milk")
    add_note(page, "Walk dog")
    # Newest first.
    expect(page.locator("li.note .note-text")).to_have_text(["Walk dog", "Buy milk"])
    page.fill("#note-text", "   ")
    page.click("#note-add")
    expect(page.locator("#note-text-error")).to_have_text("Write something: a note can't be empty.")

    done = note_row(page, "Buy milk").get_by_role("checkbox")
    done.click()
    expect(done).to_have_attribute("aria-checked", "true")
    assert _stored(live_app, username) == [("Buy milk", True), ("Walk dog", False)]

    page.click("#filter-done")
    expect(page.locator("li.note .note-text")).to_have_text(["Buy milk"])
    expect(page.locator("#filter-done")).to_have_attribute("aria-pressed", "true")
    page.click("#filter-open")
    expect(page.locator("li.note .note-text")).to_have_text(["Walk dog"])
    page.click("#filter-all")
    expect(page.locator("li.note .note-text")).to_have_text(["Walk dog", "Buy milk"])

    note_row(page, "Walk dog").locator(".note-edit").click()
    expect(page.locator("#edit-text")).to_be_focused()
    expect(page.locator("#edit-text")).to_have_value("Walk dog")
    page.fill("#edit-text", "Walk the dog")
    page.click("#note-save")
    expect(page.locator("li.note .note-text")).to_have_text(["Walk the dog", "Buy milk"])
    assert _stored(live_app, username) == [("Buy milk", True), ("Walk the dog", False)]

    note_row(page, "Walk the dog").locator(".note-delete").click()
    expect(page.locator("li.note .note-text")).to_have_text(["Buy milk"])
    page.click("#note-undo")
    expect(page.locator("li.note .note-text")).to_have_text(["Walk the dog", "Buy milk"])
    expect(page.locator("#note-undo")).to_have_count(0)

    note_row(page, "Buy milk").locator(".note-delete").click()
    expect(page.locator("li.note .note-text")).to_have_text(["Walk the dog"])
    expect(page.locator("#note-undo")).to_be_visible()
    # "Undo" is withdrawn after a few seconds; the note stays deleted.
    expect(page.locator("#note-undo")).to_have_count(0, timeout=15_000)
    goto_ready(page, live_app.url(routes.NOTES))
    expect(page.locator("li.note .note-text")).to_have_text(["Walk the dog"])
    assert [text for text, _ in _stored(live_app, username)] == ["Walk the dog"]


def test_a_second_user_sees_none_of_the_first_users_notes(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    first, second = unique_name("nfirst"), unique_name("nsecond")
    create_user(live_app, first)
    create_user(live_app, second)
    secret = f"first user's note {first}"
    _add_stored(live_app, first, secret)

    login(page, live_app, first)
    open_notes(page)
    expect(note_row(page, secret)).to_be_visible()

    other = new_page(new_context())
    login(other, live_app, second)
    open_notes(other)
    add_note(other, "second user's own")
    expect(other.locator("li.note")).to_have_count(1)
    # A note added elsewhere (REST, another tab) shows up at the tab's next action.
    _add_stored(live_app, second, "added elsewhere")
    other.click("#filter-all")
    expect(other.locator("li.note .note-text")).to_have_text(
        ["added elsewhere", "second user's own"]
    )
    assert secret not in other.content()
    assert not [frame for frame in socket_frames(other) if secret in frame]


def test_anonymous_visitor_is_sent_to_login_and_sees_nothing(page: Page, live_app: LiveApp) -> None:
    username = unique_name("nanon")
    create_user(live_app, username)
    secret = f"never shown {username}"
    _add_stored(live_app, username, secret)
    # A browser asking for the page gets it (prerendered, with nothing of a note); a client
    # asking for no HTML gets the REST resource at the same path.
    html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    raw = httpx.get(live_app.url(routes.NOTES), headers=html, follow_redirects=True, timeout=10)
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("text/html")
    assert httpx.get(live_app.url(f"{routes.NOTES}/"), timeout=10).status_code == 401
    assert "session-check" in raw.text
    assert "note-add" not in raw.text

    sample_frames(page, secret, "Add a note")
    goto_ready(page, live_app.url(routes.NOTES))
    expect(page).to_have_url(re.compile(r"/login/?\?next=(/|%2F)notes"))
    login_page_ready(page)
    seen = sampled(page)
    assert seen.frames > 2, "the frame sampler did not run"
    assert seen.leaks == []


def test_show_more_adds_the_older_notes(page: Page, live_app: LiveApp) -> None:
    username = unique_name("nmore")
    create_user(live_app, username)
    for n in range(PAGE_SIZE + 1):
        _add_stored(live_app, username, f"note number {n}")
    login(page, live_app, username)
    open_notes(page)
    rows = page.locator("li.note")
    expect(rows).to_have_count(PAGE_SIZE)
    expect(rows.first).to_contain_text(f"note number {PAGE_SIZE}")
    page.click("#notes-more")
    expect(rows).to_have_count(PAGE_SIZE + 1)
    expect(rows.last).to_contain_text("note number 0")
    expect(page.locator("#notes-more")).to_have_count(0)
    # An action reloads the list without losing the notes "Show more" added.
    note_row(page, "note number 0").get_by_role("checkbox").click()
    expect(note_row(page, "note number 0").get_by_role("checkbox")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(rows).to_have_count(PAGE_SIZE + 1)
