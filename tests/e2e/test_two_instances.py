"""Two instances, one app: two `reflex run --env prod` processes of two workers each, on two
ports, sharing one PostgreSQL database and one Redis.

Browser cookies are per host, not per port: a browser signed in on localhost:A carries its
cookie to localhost:B, as it would to any instance behind one load balancer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from typing import NamedTuple

import httpx
import pytest
import redis
from playwright.sync_api import Page, expect
from sqlmodel import select

from nfp_app.infra import db
from nfp_app.models import ThrottleHit
from nfp_app.services import throttle_redis
from nfp_app.state.auth import AuthState
from tests.support import api
from tests.support.accounts import run_cli, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.redis_dbs import TWO_INSTANCES_DB, redis_db_url
from tests.support.ui import goto_ready, new_page, signup
from tests.support.workers import workers_serving

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

WORKERS_EACH = 2
LIMIT = 5  # THROTTLE_ACCOUNT_FAILURES: one client's failures per account
SIGNED_OUT = re.compile(r"/login/?\?notice=signed-out")


class Pair(NamedTuple):
    """The two instances and the Redis they share."""

    a: LiveApp
    b: LiveApp
    redis_url: str


@pytest.fixture(scope="module")
def pair(live_app: LiveApp, live_app_factory: LiveAppFactory) -> Iterator[Pair]:
    """Instance A on a fresh database; instance B on A's database with A's secret; one Redis."""
    del live_app  # started first, so the shared frontend build exists for both copies
    redis_url = redis_db_url(TWO_INSTANCES_DB)
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    settings = {
        "REDIS_URL": redis_url,
        "WEB_WORKERS": str(WORKERS_EACH),
        "SERVED_BY_HEADER": "true",
    }
    with ExitStack() as stack:
        a = stack.enter_context(live_app_factory(backend_only=False, **settings))
        b = stack.enter_context(
            live_app_factory(
                backend_only=False,
                DATABASE_URL=a.database_url,
                SECRET_KEY=a.secret_key,
                **settings,
            )
        )
        assert (a.database_url, a.secret_key) == (b.database_url, b.secret_key)
        yield Pair(a, b, redis_url)
    client.flushdb()
    client.close()


def test_a_session_started_on_one_instance_works_on_the_other(page: Page, pair: Pair) -> None:
    """The browser's cookie and a REST bearer token from A are both good on B."""
    username = unique_name("twin")
    signup(page, pair.a, username)
    goto_ready(page, pair.b.url("/admin"))
    expect(page.locator("#account-username")).to_have_text(username)

    with (
        httpx.Client(base_url=pair.a.base_url) as on_a,
        httpx.Client(base_url=pair.b.base_url) as on_b,
    ):
        account = api.signup(on_a, unique_name("rest"))
        token = api.login(on_a, account)
        me = on_b.get("/users/me/", headers=api.bearer(token))
    assert me.status_code == 200, me.text
    assert me.json()["username"] == account.username


def test_failures_on_both_instances_count_together(pair: Pair) -> None:
    """Wrong passwords alternate between A and B; the limit trips at the combined count, on
    both, and the counters are in Redis, not in the database."""
    with (
        httpx.Client(base_url=pair.a.base_url) as on_a,
        httpx.Client(base_url=pair.b.base_url) as on_b,
    ):
        account = api.signup(on_a, unique_name("guessed"))
        wrong = {"username": account.username, "password": "not the password"}
        right = {"username": account.username, "password": account.password}
        for attempt in range(LIMIT):
            instance = (on_a, on_b)[attempt % 2]
            assert instance.post("/token", data=wrong).status_code == 401, attempt
        assert on_b.post("/token", data=right).status_code == 429
        assert on_a.post("/token", data=right).status_code == 429
    with db.session_scope(db.engine_for(pair.a.database_url)) as session:
        assert session.exec(select(ThrottleHit)).all() == []
    client = redis.Redis.from_url(pair.redis_url)
    assert any(client.scan_iter(f"{throttle_redis.PREFIX}account:*"))
    client.close()


def test_a_logout_on_one_instance_signs_out_a_tab_on_the_other(page: Page, pair: Pair) -> None:
    """Tab 1 on A logs out; tab 2, same browser, open on B, shows /login within 2 s."""
    username = unique_name("leaver")
    signup(page, pair.a, username)
    on_b = new_page(page.context)
    goto_ready(on_b, pair.b.url("/admin"))
    expect(on_b.locator("#account-username")).to_have_text(username)
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(on_b).to_have_url(SIGNED_OUT, timeout=2_000)


def test_the_cli_signs_out_tabs_on_both_instances(
    page: Page, pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m nfp_app revoke-sessions`, with the same REDIS_URL, reaches tabs on A and B."""
    username = unique_name("revoked")
    signup(page, pair.a, username)
    on_b = new_page(page.context)
    goto_ready(on_b, pair.b.url("/admin"))
    expect(on_b.locator("#account-username")).to_have_text(username)
    monkeypatch.setenv("REDIS_URL", pair.redis_url)
    run_cli(pair.a, "revoke-sessions", username, "--reason", "e2e")
    expect(page).to_have_url(SIGNED_OUT, timeout=2_000)
    expect(on_b).to_have_url(SIGNED_OUT, timeout=2_000)


def test_several_workers_serve_each_instance(pair: Pair) -> None:
    """Each instance answers from two processes, and none of A's is one of B's."""
    on_a = workers_serving(pair.a.base_url, at_least=WORKERS_EACH)
    on_b = workers_serving(pair.b.base_url, at_least=WORKERS_EACH)
    assert len(on_a) == WORKERS_EACH, on_a
    assert len(on_b) == WORKERS_EACH, on_b
    assert on_a.isdisjoint(on_b)


def test_the_tabs_state_is_in_the_shared_redis(page: Page, pair: Pair) -> None:
    """Each instance keeps a tab's Reflex state in the one Redis, under the tab's token."""
    username = unique_name("stateful")
    signup(page, pair.a, username)
    on_b = new_page(page.context)
    goto_ready(on_b, pair.b.url("/admin"))
    expect(on_b.locator("#account-username")).to_have_text(username)
    client = redis.Redis.from_url(pair.redis_url)
    for tab in (page, on_b):
        token = tab.evaluate("sessionStorage.getItem('token')")
        assert client.exists(f"{token}_{AuthState.get_full_name()}"), token
    client.close()
