"""The console's user list: search as you type, filters, sort, paging and bulk actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from nfp_app.infra import db
from nfp_app.models import AuthEvent, AuthSession, User, utcnow
from nfp_app.services import accounts, auth_sessions
from nfp_app.state.admin_users import AdminUsersState
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import handler
from tests.support.ui import (
    goto_ready,
    login,
    next_frames,
    sent_frames,
    socket_frames,
    wait_answered,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

PAGE_SIZE = 20  # settings.users_page_size, the live app's default
LINKS = "#users-table tbody tr .user-link"


@contextmanager
def database(app: LiveApp) -> Iterator[Session]:
    """A session on the live app's database, committed at the end."""
    with db.session_scope(db.engine_for(app.database_url)) as session:
        yield session


def add_users(app: LiveApp, *names: str, admin: bool = False) -> list[int]:
    """Store accounts straight in the database, in this order (so oldest first); their ids."""
    with database(app) as session:
        ids = []
        for name in names:
            user = accounts.create_user(
                session=session, username=name, password=PASSWORD, is_admin=admin
            )
            assert user.id is not None
            ids.append(user.id)
        return ids


def open_list(page: Page, app: LiveApp, admin: str) -> None:
    """Sign in as `admin` and open the console's user list."""
    login(page, app, admin)
    goto_ready(page, app.url("/admin/users"))
    expect(page.locator("#users-table")).to_be_visible()


def search(page: Page, text: str, expected: list[str]) -> None:
    """Type into the search box key by key, then wait for exactly these rows, in order."""
    box = page.locator("#user-search")
    box.press("End")  # type after what is there, wherever the caret was
    box.press_sequentially(text, delay=40)
    # The search for the whole text was handled (the server echoes it), not only a part of it.
    typed = box.input_value()
    wait_answered(page, typed, f'"search_text_rx_state_":"{typed}"', "the search")
    expect(page.locator(LINKS)).to_have_text(expected)


def choose(page: Page, select_id: str, option: str) -> None:
    """Pick an option of one of the filter or sort selects."""
    page.click(f"#{select_id}")
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.locator(f"#{select_id}")).to_have_text(option)


def test_search_as_you_type_is_debounced_and_narrows_to_the_prefix(
    page: Page, live_app: LiveApp
) -> None:
    """One search per pause in typing; usernames and email addresses both match the prefix."""
    admin, prefix = unique_name("cboss"), unique_name("find")
    add_users(live_app, admin, admin=True)
    names = [f"{prefix}a", f"{prefix}b", f"{prefix}c"]
    add_users(live_app, *names)
    by_email = unique_name("mailx")
    create_user(live_app, by_email, email=f"{prefix}z@example.com")
    open_list(page, live_app, admin)
    search(page, prefix, [by_email, *reversed(names)])  # newest first
    searches = [f for f in sent_frames(page) if handler(AdminUsersState, "search") in f]
    assert 1 <= len(searches) < len(prefix) // 2, "every keystroke was sent"
    search(page, "b", [f"{prefix}b"])
    row = page.locator("#users-table tbody tr", has_text=f"{prefix}b")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Unverified")
    expect(row).to_contain_text("never")
    href = f"/admin/users/{_id_of(live_app, f'{prefix}b')}"
    expect(row.locator(".user-link")).to_have_attribute("href", href)
    search(page, "q", [])
    # Said in words, in a live region, rather than shown as an empty table.
    expect(page.locator("#users-total")).to_have_text("No accounts match.")
    expect(page.locator("#users-total")).to_have_attribute("role", "status")
    expect(page.locator("#user-search")).to_have_attribute("maxlength", "254")


def _id_of(app: LiveApp, username: str) -> int:
    with database(app) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert user.id is not None
        return user.id


def test_filters_and_sort(page: Page, live_app: LiveApp) -> None:
    """Status, role and email filters; newest, oldest, recent and oldest sign-in orders."""
    admin, prefix = unique_name("cboss"), unique_name("filt")
    add_users(live_app, admin, admin=True)
    plain, disabled, boss, verified, seen = (f"{prefix}{n}" for n in "12345")
    add_users(live_app, plain, disabled)
    add_users(live_app, boss, admin=True)
    add_users(live_app, verified, seen)
    now = utcnow()
    with database(live_app) as session:
        for user in session.exec(select(User).where(col(User.username).startswith(prefix))):
            if user.username == disabled:
                user.is_active = False
            if user.username == verified:
                user.email_verified_at = now
                user.last_login_at = now - dt.timedelta(days=1)
            if user.username == seen:
                user.last_login_at = now - dt.timedelta(days=2)
            session.add(user)
    open_list(page, live_app, admin)
    search(page, prefix, [seen, verified, boss, disabled, plain])
    choose(page, "filter-active", "Disabled")
    expect(page.locator(LINKS)).to_have_text([disabled])
    choose(page, "filter-active", "Active")
    expect(page.locator(LINKS)).to_have_text([seen, verified, boss, plain])
    choose(page, "filter-admin", "Administrators")
    expect(page.locator(LINKS)).to_have_text([boss])
    choose(page, "filter-admin", "Users")
    choose(page, "filter-verified", "Verified")
    expect(page.locator(LINKS)).to_have_text([verified])
    for select_id, option in (
        ("filter-active", "Any status"),
        ("filter-admin", "Any role"),
        ("filter-verified", "Any email"),
    ):
        choose(page, select_id, option)
    expect(page.locator(LINKS)).to_have_text([seen, verified, boss, disabled, plain])
    choose(page, "user-sort", "Oldest first")
    expect(page.locator(LINKS)).to_have_text([plain, disabled, boss, verified, seen])
    # Accounts that never signed in count as the oldest sign-ins.
    choose(page, "user-sort", "Recent sign-in first")
    expect(page.locator(LINKS)).to_have_text([verified, seen, boss, disabled, plain])
    choose(page, "user-sort", "Oldest sign-in first")
    expect(page.locator(LINKS)).to_have_text([plain, disabled, boss, seen, verified])
    row = page.locator("#users-table tbody tr", has_text=verified)
    expect(row).to_contain_text("Verified")
    expect(row).to_contain_text(f"{now - dt.timedelta(days=1):%Y-%m-%d %H:%M} UTC")


def test_paging_walks_every_row_once(page: Page, live_app: LiveApp) -> None:
    """Next and Previous through three pages of one search: no row repeats, none is skipped."""
    admin, prefix = unique_name("cboss"), unique_name("page")
    add_users(live_app, admin, admin=True)
    names = [f"{prefix}{index:02d}" for index in range(2 * PAGE_SIZE + 5)]
    add_users(live_app, *names)
    open_list(page, live_app, admin)
    newest_first = list(reversed(names))
    search(page, prefix, newest_first[:PAGE_SIZE])
    expect(page.locator("#users-page")).to_have_text("Page 1")
    expect(page.locator("#users-previous")).to_be_disabled()
    total = page.locator("#users-total").inner_text()
    assert total in ("", f"{len(names)} accounts")
    seen = page.locator(LINKS).all_inner_texts()
    for number in (2, 3):
        page.click("#users-next")
        expect(page.locator("#users-page")).to_have_text(f"Page {number}")
        expected = newest_first[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        expect(page.locator(LINKS)).to_have_text(expected)
        seen += page.locator(LINKS).all_inner_texts()
    expect(page.locator("#users-next")).to_be_disabled()
    assert seen == newest_first
    for number in (2, 1):
        page.click("#users-previous")
        expect(page.locator("#users-page")).to_have_text(f"Page {number}")
        expected = newest_first[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        expect(page.locator(LINKS)).to_have_text(expected)
    # A new search starts again at page 1.
    page.click("#users-next")
    expect(page.locator("#users-page")).to_have_text("Page 2")
    search(page, "0", [f"{prefix}0{index}" for index in reversed(range(10))])
    expect(page.locator("#users-page")).to_have_text("Page 1")


def _start_sessions(app: LiveApp, user_ids: list[int]) -> None:
    with database(app) as session:
        for user_id in user_ids:
            user = session.get(User, user_id)
            assert user is not None
            auth_sessions.start_api_session(session=session, user=user)


def _bulk(page: Page, button: str, reason: str) -> None:
    page.click("#select-all")
    expect(page.locator("#select-all")).to_have_attribute("aria-checked", "true")
    page.click(f"#{button}")
    page.fill("#reason-input", reason)
    page.click("#confirm-bulk")
    expect(page.locator("#reason-input")).to_have_count(0)


def test_bulk_disable_audits_each_account_and_ends_its_sessions(
    page: Page, live_app: LiveApp
) -> None:
    """Select all on the page, give a reason: one audit entry per account, sessions ended."""
    admin, prefix = unique_name("cboss"), unique_name("bulk")
    add_users(live_app, admin, admin=True)
    names = [f"{prefix}{n}" for n in "abc"]
    ids = add_users(live_app, *names)
    _start_sessions(live_app, ids)
    open_list(page, live_app, admin)
    search(page, prefix, list(reversed(names)))
    rows = page.locator("#users-table tbody tr")
    for index in range(len(names)):
        expect(rows.nth(index).locator("td").nth(3)).to_have_text("1")  # one live session
    reason = "spam wave from one network"
    _bulk(page, "bulk-disable", reason)
    expect(page.locator("#bulk-message")).to_contain_text(f"Disabled {', '.join(names)}.")
    for index in range(len(names)):
        expect(rows.nth(index)).to_contain_text("Disabled")
        expect(rows.nth(index).locator("td").nth(3)).to_have_text("0")
    with database(live_app) as session:
        users = session.exec(select(User).where(col(User.id).in_(ids))).all()
        assert [user.is_active for user in users] == [False] * len(ids)
        entries = session.exec(
            select(AuthEvent).where(
                col(AuthEvent.user_id).in_(ids), col(AuthEvent.event) == "user_disable"
            )
        ).all()
        assert sorted(entry.user_id or 0 for entry in entries) == sorted(ids)
        for entry in entries:
            assert f"reason: {reason}" in entry.detail
            assert f"by {admin}" in entry.detail
        live = session.exec(
            select(AuthSession).where(
                col(AuthSession.user_id).in_(ids), col(AuthSession.revoked_at).is_(None)
            )
        ).all()
        assert live == []


def test_bulk_disable_refuses_the_last_active_admin(page: Page, live_app: LiveApp) -> None:
    """With every other administrator disabled, the acting one is the last: refused, said so."""
    prefix = unique_name("last")
    admin, member = f"{prefix}a", f"{prefix}m"
    (admin_id,) = add_users(live_app, admin, admin=True)
    (member_id,) = add_users(live_app, member)
    # Other tests' administrators share this database: set them aside for this test only.
    with database(live_app) as session:
        others = session.exec(
            select(User).where(
                col(User.is_admin).is_(True), col(User.is_active).is_(True), User.id != admin_id
            )
        ).all()
        other_ids = [user.id for user in others]
        for user in others:
            user.is_active = False
            session.add(user)
    try:
        open_list(page, live_app, admin)
        search(page, prefix, [member, admin])
        _bulk(page, "bulk-disable", "closing the shop")
        message = page.locator("#bulk-message")
        expect(message).to_contain_text(f"Disabled {member}.")
        expect(message).to_contain_text(f"Refused for {admin}: That would leave no active")
        with database(live_app) as session:
            active = session.exec(
                select(col(User.id), col(User.is_active)).where(
                    col(User.id).in_([admin_id, member_id])
                )
            ).all()
            assert dict(active) == {admin_id: True, member_id: False}
    finally:
        with database(live_app) as session:
            for user in session.exec(select(User).where(col(User.id).in_(other_ids))):
                user.is_active = True
                session.add(user)


def test_ordinary_user_sees_nothing_of_the_console(page: Page, live_app: LiveApp) -> None:
    """A signed-in user on /admin/users gets the frame and no list, tabs or other accounts."""
    username, other = unique_name("plainc"), unique_name("otherc")
    create_user(live_app, other)
    create_user(live_app, username)
    login(page, live_app, username)
    goto_ready(page, live_app.url("/admin/users"))
    expect(page.locator("#nav-username")).to_have_text(username)
    # The page's on_load has run (goto_ready) and refused the console: the flag says so.
    assert any('"is_admin_rx_state_":false' in frame for frame in socket_frames(page))
    next_frames(page)
    for element_id in ("console-tabs", "users-table", "user-search", "bulk-disable"):
        expect(page.locator(f"#{element_id}")).to_have_count(0)
    assert other not in page.content()
