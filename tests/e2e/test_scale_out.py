"""Production scaled out: several workers sharing state through Redis and one PostgreSQL."""

from __future__ import annotations

import pickle
import re
import time
import uuid
from collections.abc import Iterator

import pytest
import redis
import reflex as rx
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from playwright.sync_api import Page, expect

from nfp_app.infra import db
from nfp_app.state.login import LoginState
from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.redis_dbs import SCALED_APP_DB, redis_db_url
from tests.support.reflex_socket import handler, reflex_socket
from tests.support.ui import ContextFactory, goto_ready, login, new_page, persistent_cookies, signup
from tests.support.workers import workers_serving

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

WORKERS = 3
# Where Reflex's Redis token manager records which worker holds a client's websocket.
SOCKET_RECORD_PREFIX = "token_manager_socket_record_"


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A Redis database of this module's own, empty at the start and at the end."""
    url = redis_db_url(SCALED_APP_DB)
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture(scope="module")
def scaled_app(
    live_app: LiveApp, live_app_factory: LiveAppFactory, redis_url: str
) -> Iterator[LiveApp]:
    """A second production app with Redis (one setting: REDIS_URL) and several workers."""
    del live_app  # started first, so the shared frontend build below already exists
    with live_app_factory(
        backend_only=False,
        REDIS_URL=redis_url,
        WEB_WORKERS=str(WORKERS),
        SERVED_BY_HEADER="true",
    ) as app:
        yield app


def test_several_workers_serve(scaled_app: LiveApp) -> None:
    """WEB_WORKERS starts that many workers: requests are answered by more than one process."""
    served_by = workers_serving(scaled_app.base_url, at_least=2)
    assert len(served_by) >= 2, served_by


def test_sign_in_survives_reloads_across_workers(
    page: Page, scaled_app: LiveApp, new_context: ContextFactory
) -> None:
    """Every reload may land on another worker; the session and the cookie work on all of them."""
    username = unique_name("scaled")
    signup(page, scaled_app, username)
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login"))
    login(page, scaled_app, username, remember=True)
    for _ in range(2 * WORKERS):
        page.reload()
        expect(page.locator("#account-username")).to_have_text(username)
    restored = new_page(new_context(cookies=persistent_cookies(page.context)))
    goto_ready(restored, scaled_app.url("/admin"))
    expect(restored.locator("#account-username")).to_have_text(username)


def _owner(client: redis.Redis, token: str) -> str:
    """The worker (Reflex instance id) that holds a client token's websocket, from Redis."""
    deadline = time.monotonic() + 10
    while (raw := client.get(f"{SOCKET_RECORD_PREFIX}{token}")) is None:
        assert time.monotonic() < deadline, f"no socket record for {token} in Redis"
        time.sleep(0.05)
    assert isinstance(raw, bytes)
    return pickle.loads(raw).instance_id  # noqa: S301  (Reflex's own record, on our test Redis)


def test_workers_share_state_through_redis(scaled_app: LiveApp, redis_url: str) -> None:
    """More than one worker serves, and what one worker stored the next one finds in Redis."""
    client = redis.Redis.from_url(redis_url)
    token = str(uuid.uuid4())
    with reflex_socket(scaled_app, token=token) as tab:
        tab.send(handler(rx.State, "hydrate"), path="/login")
        form = {"username": unique_name("nobody"), "password": "not the password"}
        tab.send(handler(LoginState, "submit"), {"form_data": form}, path="/login")
        tab.wait_for("Incorrect username or password.")
        first = _owner(client, token)
    # Reconnect with the same token until another worker takes the websocket.
    for _ in range(40):
        with reflex_socket(scaled_app, token=token) as tab:
            if _owner(client, token) == first:
                continue
            tab.send(handler(rx.State, "hydrate"), path="/login")
            # The error the first worker stored comes back from Redis on this one.
            tab.wait_for("Incorrect username or password.")
            break
    else:
        pytest.fail(f"every connection landed on worker {first}")
    assert client.exists(f"{token}_{LoginState.get_full_name()}")
    client.close()


def test_workers_migrated_the_database_once(scaled_app: LiveApp) -> None:
    """All workers ran migrations at start, one at a time: the database is at the head."""
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()
    with db.engine_for(scaled_app.database_url).connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [tuple(row) for row in versions] == [(head,)]
    assert "Traceback" not in scaled_app.log_path.read_text()


def test_a_revocation_through_one_worker_signs_out_a_tab_on_another(
    page: Page, scaled_app: LiveApp, new_context: ContextFactory, redis_url: str
) -> None:
    """Tab A is served by one worker; tab B, on another, signs A out within 2 s."""
    client = redis.Redis.from_url(redis_url)
    username = unique_name("push")
    signup(page, scaled_app, username)
    owner_a = _owner(client, page.evaluate("sessionStorage.getItem('token')"))
    tab_b = new_page(new_context())
    login(tab_b, scaled_app, username)
    for _ in range(40):
        if _owner(client, tab_b.evaluate("sessionStorage.getItem('token')")) != owner_a:
            break
        goto_ready(tab_b, scaled_app.url("/account"))  # a new websocket, maybe elsewhere
    else:
        pytest.fail(f"tab B always landed on worker {owner_a}")
    goto_ready(tab_b, scaled_app.url("/account"))
    expect(tab_b.locator("#sessions-table tbody tr")).to_have_count(2)
    tab_b.click("#revoke-others")
    expect(page).to_have_url(re.compile(r"/login/?\?notice=signed-out"), timeout=2_000)
    client.close()
