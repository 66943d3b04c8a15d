"""The user table on /admin is for administrators only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nfp_app.infra import db
from nfp_app.services import accounts
from tests.support.accounts import create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import login, next_frames, socket_frames

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def _first_page_usernames(app: LiveApp, page_size: int = 20) -> tuple[list[str], int]:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        users, total = accounts.list_users(session=session, offset=0, limit=page_size)
        return [user.username for user in users], total


def test_admin_sees_the_users_table(page: Page, live_app: LiveApp) -> None:
    """An administrator made with the CLI sees the first page of all accounts."""
    admin = unique_name("boss")
    make_admin(live_app, admin)
    create_user(live_app, unique_name("member"))
    login(page, live_app, admin)
    expect(page.locator("#account-role")).to_have_text("Administrator")
    table = page.locator("#users-table")
    expect(table).to_be_visible()
    expected, total = _first_page_usernames(live_app)
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(expected))
    assert rows.locator("td:first-child").all_inner_texts() == expected
    pages = -(-total // 20)
    expect(page.locator("#users-page")).to_have_text(f"Page 1 of {pages}")


def test_normal_user_does_not_see_the_users_table(page: Page, live_app: LiveApp) -> None:
    """An ordinary user gets their own account card and nothing about other users."""
    username = unique_name("plain")
    other = unique_name("other")
    create_user(live_app, other)
    create_user(live_app, username)
    login(page, live_app, username)
    expect(page.locator("#account-role")).to_have_text("User")
    # login() waited for /admin's on_load to finish (the hydration delta comes last): the
    # table, if the server had sent one, has arrived; two frames later it would be drawn.
    assert any('"total_users_rx_state_":0' in frame for frame in socket_frames(page))
    next_frames(page)
    expect(page.locator("#users-table")).to_have_count(0)
    expect(page.locator("#users-page")).to_have_count(0)
    content = page.content()
    assert "All users" not in content
    assert other not in content
