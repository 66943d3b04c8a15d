"""The app restarts (SIGTERM, then a start on the same port): signed-in users stay signed in.

With Redis, Reflex's state outlives the app, and open tabs reconnect by themselves and carry on.
Without it (the disk state manager, wiped at every start) the session cookie brings the session
back. Either way no new session is opened: the one from before the restart goes on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.recovery import live_sessions, process_of, record, timed
from tests.support.redis_server import RedisServer
from tests.support.ui import (
    ContextFactory,
    goto_ready,
    hydrations,
    login,
    new_page,
    signup,
    wait_hydrated,
)

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

SIGNED_OUT = re.compile(r"/login/?\?notice=signed-out")


@pytest.fixture
def redis_app(
    live_app: LiveApp, live_app_factory: LiveAppFactory, own_redis: RedisServer
) -> Iterator[LiveApp]:
    """A restartable app with two workers sharing state in a Redis of this test's own."""
    del live_app  # started first, so the shared frontend build below already exists
    with live_app_factory(
        backend_only=False,
        REDIS_URL=own_redis.url,
        WEB_WORKERS="2",
    ) as app:
        yield app


@pytest.fixture
def disk_app(live_app: LiveApp, live_app_factory: LiveAppFactory) -> Iterator[LiveApp]:
    """A restartable app with one worker and Reflex's default state on disk."""
    del live_app
    with live_app_factory(backend_only=False) as app:
        yield app


def _mark_document(tab: Page) -> None:
    tab.evaluate("window.__beforeRestart = true")


def _same_document(tab: Page) -> bool:
    """Whether the tab still shows the document marked before the restart: no reload."""
    return bool(tab.evaluate("window.__beforeRestart === true"))


def _restart(app: LiveApp, tabs: list[Page], label: str) -> None:
    """SIGTERM the app, start it again, and wait until every open tab has reconnected by
    itself and run its page's on_load again (a reconnect re-hydrates the page)."""
    before = [hydrations(tab) for tab in tabs]
    process = process_of(app)
    record(f"{label}: graceful stop", timed(process.stop))
    record(f"{label}: start until the app answers", process.start())
    ready = time.monotonic()
    for tab, count in zip(tabs, before, strict=True):
        wait_hydrated(tab, count, "an open tab after the restart")
    record(f"{label}: app ready → open tabs reconnected and re-hydrated", time.monotonic() - ready)


def test_open_tabs_carry_on_across_an_app_restart_with_redis(
    page: Page, redis_app: LiveApp, new_context: ContextFactory
) -> None:
    app = redis_app
    username = unique_name("rst")
    signup(page, app, username)
    account_tab = new_page(page.context)
    goto_ready(account_tab, app.url("/account"))
    expect(account_tab.locator("#profile-username")).to_have_text(username)
    other_browser = new_page(new_context())
    login(other_browser, app, username)
    sessions = live_sessions(app, username)
    tabs = [page, account_tab, other_browser]
    for tab in tabs:
        _mark_document(tab)

    _restart(app, tabs, "app restart with Redis")

    # The same documents (no reload), the same sessions, still signed in, no new sign-in.
    # Reflex gives a reconnecting tab a new client token (the dead worker's socket record looks
    # like a duplicate tab), so the tab's state starts afresh and the cookie restores the user.
    assert all(_same_document(tab) for tab in tabs)
    expect(page.locator("#account-username")).to_have_text(username)
    expect(account_tab.locator("#profile-username")).to_have_text(username)
    assert live_sessions(app, username) == sessions
    # An event that needs the session, on a reconnected socket; the server's push reaches the
    # other browser's reconnected tab.
    account_tab.click("#revoke-others")
    expect(account_tab.locator("#sessions-notice")).to_contain_text("Every other session")
    expect(other_browser).to_have_url(SIGNED_OUT)
    # A navigation in the other tab. The restart rebuilt the frontend, so React Router may
    # reload the page instead of navigating (a new build's manifest); either way the page's
    # session check runs again and the user is still signed in.
    before = hydrations(page)
    page.click("#nav-account")
    wait_hydrated(page, before, "the page after a navigation")
    expect(page.locator("#nav-username")).to_have_text(username)
    assert "/login" not in page.url


def test_the_cookie_restores_the_session_after_a_restart_without_redis(
    page: Page, disk_app: LiveApp
) -> None:
    app = disk_app
    username = unique_name("dsk")
    signup(page, app, username)
    sessions = live_sessions(app, username)
    _mark_document(page)

    _restart(app, [page], "app restart without Redis")
    assert _same_document(page)

    # The disk state was wiped at the start; the open tab's session came back from the cookie.
    expect(page.locator("#account-username")).to_have_text(username)
    before = hydrations(page)
    page.reload()
    wait_hydrated(page, before, "/admin reloaded after the restart")
    expect(page.locator("#account-username")).to_have_text(username)
    assert live_sessions(app, username) == sessions
