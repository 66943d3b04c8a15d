"""Redis restarts empty (no persistence): the app recovers by itself and nobody is signed out.

Reflex's state and its socket records are gone with Redis; the session lives in PostgreSQL and
the browser's cookie, so the next event resumes it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.recovery import live_sessions, record, timed
from tests.support.redis_server import RedisServer
from tests.support.ui import (
    ContextFactory,
    goto_ready,
    hydrations,
    login,
    login_page_ready,
    new_page,
    signup,
    wait_hydrated,
)

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]

RECOVERY_SECONDS = 60.0
# The pushed change lands in a state that Redis lost, so Reflex may also run the page's on_load
# again, whose own session check sends the tab to /login?next=… first; either way it is out.
SIGNED_OUT = re.compile(r"/login/?\?(notice=signed-out|next=)")
# The promise of instant sign-out (docs/architecture.md), as tests/e2e/test_account.py checks it.
SIGN_OUT_MS = 2_000


@pytest.fixture
def redis_app(
    live_app: LiveApp, live_app_factory: LiveAppFactory, own_redis: RedisServer
) -> Iterator[LiveApp]:
    """A production app with two workers sharing state in a Redis of this test's own."""
    del live_app  # started first, so the shared frontend build below already exists
    with live_app_factory(
        backend_only=False,
        REDIS_URL=own_redis.url,
        WEB_WORKERS="2",
    ) as app:
        yield app


def _reload_until_signed_in(page: Page, username: str) -> int:
    """Reload until the page shows the account; the number of reloads it took."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    attempts = 0
    while True:
        attempts += 1
        page.reload()
        try:
            expect(page.locator("#account-username")).to_have_text(username, timeout=5_000)
            return attempts
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def test_signed_in_users_stay_signed_in_when_redis_restarts_empty(
    page: Page, redis_app: LiveApp, own_redis: RedisServer
) -> None:
    app = redis_app
    username = unique_name("rds")
    signup(page, app, username)
    account_tab = new_page(page.context)
    goto_ready(account_tab, app.url("/account"))
    expect(account_tab.locator("#profile-username")).to_have_text(username)
    with httpx.Client(base_url=app.base_url, timeout=30) as api:
        form = {"username": username, "password": PASSWORD}
        token = api.post("/token", data=form).json()["access_token"]
    sessions = live_sessions(app, username)
    assert own_redis.key_count() > 0, "the app kept nothing in Redis"

    record("Redis stop", timed(own_redis.stop))
    # While Redis is away, a sign-in (its counters live in Redis) is told to come back soon.
    with httpx.Client(base_url=app.base_url, timeout=30) as api:
        refused = api.post("/token", data=form)
    assert refused.status_code == 503, refused.text
    assert refused.headers["retry-after"].isdigit()
    own_redis.start()
    back = time.monotonic()
    assert own_redis.key_count() == 0, "Redis came back with data: the test needs an empty one"

    reloads = _reload_until_signed_in(page, username)
    record("Redis back → first page (reload) showing the account", time.monotonic() - back)
    assert reloads == 1, f"the first {reloads - 1} reloads after the Redis restart failed"
    # REST with the bearer token from before the restart.
    with httpx.Client(base_url=app.base_url, timeout=30) as api:
        me = api.get("/users/me/", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200, me.text
    assert me.json()["username"] == username
    assert live_sessions(app, username) == sessions, "a session ended or a new one opened"
    # The tab that stayed open: an event that needs the session, on its old socket. Its state
    # is gone with Redis, so Reflex also runs the page's on_load again, which clears the notice;
    # the history the page shows then has the revocation on top.
    account_tab.click("#revoke-others")
    latest = account_tab.locator("#events-table tbody tr").first
    expect(latest).to_contain_text("Sessions revoked")
    # Only the API's session ended; the browser's goes on.
    assert len(live_sessions(app, username)) == 1
    # A navigation in the reloaded tab: another event over a socket opened after the restart.
    before = hydrations(page)
    page.click("#nav-account")
    wait_hydrated(page, before, "/account after the Redis restart")
    expect(page.locator("#profile-username")).to_have_text(username)


def test_tabs_are_still_signed_out_instantly_after_redis_restarted_empty(
    page: Page, redis_app: LiveApp, own_redis: RedisServer, new_context: ContextFactory
) -> None:
    """A tab that sent nothing since Redis lost its state still gets the sign-out push."""
    app = redis_app
    username = unique_name("rdo")
    signup(page, app, username)
    other_browser = new_page(new_context())
    login(other_browser, app, username)
    own_redis.stop()
    own_redis.start()
    _reload_until_signed_in(page, username)
    before = hydrations(page)
    page.click("#nav-account")
    wait_hydrated(page, before, "/account after the Redis restart")
    page.click("#revoke-others")
    expect(page.locator("#sessions-notice")).to_contain_text("Every other session")
    expect(other_browser).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    login_page_ready(other_browser)
    expect(other_browser.locator("#account-username")).to_have_count(0)
