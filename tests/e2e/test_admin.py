"""/admin: administrators get the console overview above their account card; users do not."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.support.accounts import create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import login, next_frames, socket_frames

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_admin_sees_the_console_overview(page: Page, live_app: LiveApp) -> None:
    """An administrator made with the CLI sees the console tabs, counters, chart and own card."""
    admin = unique_name("boss")
    make_admin(live_app, admin)
    login(page, live_app, admin)
    expect(page.locator("#account-role")).to_have_text("Administrator")
    expect(page.locator("#console-tabs")).to_be_visible()
    expect(page.locator("#console-tab-overview")).to_have_attribute("aria-current", "page")
    for counter in ("users", "sessions", "sign-ins", "failed", "locked"):
        expect(page.locator(f"#counter-{counter}")).to_be_visible()
    expect(page.locator("#sign-in-chart")).to_be_visible()
    expect(page.locator("#account-card")).to_be_visible()


def test_normal_user_sees_only_their_own_account(page: Page, live_app: LiveApp) -> None:
    """An ordinary user gets their own account card, a link to /account, and no console."""
    username = unique_name("plain")
    other = unique_name("other")
    create_user(live_app, other)
    create_user(live_app, username)
    login(page, live_app, username)
    expect(page.locator("#account-role")).to_have_text("User")
    expect(page.locator("#account-link")).to_have_attribute("href", "/account")
    # login() waited for /admin's on_load to finish (the hydration delta comes last): the
    # overview, if the server had sent one, has arrived; two frames later it would be drawn.
    assert any('"is_admin_rx_state_":false' in frame for frame in socket_frames(page))
    next_frames(page)
    for hidden in ("#console-tabs", "#counter-users", "#sign-in-chart", "#sign-in-table"):
        expect(page.locator(hidden)).to_have_count(0)
    content = page.content()
    assert "Sign-ins per day" not in content
    assert other not in content
