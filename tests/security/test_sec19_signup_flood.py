"""SEC-19: signups are limited per address and in total, before any hashing, on REST and the
socket; and password hashing runs in bounded pools, so a signup flood cannot starve sign-ins.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest
import reflex as rx
from sqlmodel import Session, col, func, select

from nfp_app.infra import db, workers
from nfp_app.models import User
from nfp_app.state.signup import SignupState
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.overrides import Override
from tests.support.reflex_socket import handler, reflex_socket

pytestmark = [pytest.mark.security]

FLOOD = 150
T = TypeVar("T")


def _in_thread(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to the end in a thread of its own.

    Playwright's sync API may already run an event loop in this one.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()


async def _flood(base_url: str, count: int, prefix: str) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as http:
        return await asyncio.gather(
            *(
                http.post("/users/", json={"username": f"{prefix}{i}", "password": PASSWORD})
                for i in range(count)
            )
        )


def _users(app: LiveApp, prefix: str) -> int:
    with Session(db.engine_for(app.database_url)) as session:
        query = select(func.count()).select_from(User).where(col(User.username).startswith(prefix))
        return int(session.exec(query).one())


@pytest.mark.postgres
def test_sec19_rest_flood_from_one_address(live_app_factory: LiveAppFactory) -> None:
    """150 concurrent signups from one address: exactly the limit gets through, the rest 429."""
    with live_app_factory(SIGNUP_IP_LIMIT="10", SIGNUP_TOTAL_LIMIT="120") as app:
        prefix = unique_name("fl")[:10] + "_"
        answers = _in_thread(lambda: _flood(app.base_url, FLOOD, prefix))
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200] * 10 + [429] * (FLOOD - 10)
        for answer in answers:
            if answer.status_code == 429:
                retry_after = int(answer.headers["retry-after"])
                assert 1 <= retry_after <= 600
                assert answer.json() == {
                    "detail": f"Too many sign-ups right now, try again in {retry_after} s."
                }
        assert _users(app, prefix) == 10
        # Another address is not affected by this one's limit.
        transport = httpx.HTTPTransport(local_address="127.0.0.2")
        with httpx.Client(base_url=app.base_url, transport=transport, timeout=30) as other:
            body = {"username": f"{prefix}other", "password": PASSWORD}
            assert other.post("/users/", json=body).status_code == 200


@pytest.mark.postgres
def test_sec19_total_limit_across_addresses(live_app_factory: LiveAppFactory) -> None:
    with live_app_factory(SIGNUP_IP_LIMIT="0", SIGNUP_TOTAL_LIMIT="5") as app:
        prefix = unique_name("tot")[:10] + "_"
        statuses = []
        for index in range(8):
            transport = httpx.HTTPTransport(local_address=f"127.0.0.{index + 2}")
            with httpx.Client(base_url=app.base_url, transport=transport, timeout=30) as http:
                body = {"username": f"{prefix}{index}", "password": PASSWORD}
                statuses.append(http.post("/users/", json=body).status_code)
        assert statuses == [200] * 5 + [429] * 3


@pytest.mark.postgres
def test_sec19_socket_signups_are_limited_too(live_app_factory: LiveAppFactory) -> None:
    """The signup page over the websocket has the same limit, with an inline message."""
    with live_app_factory(SIGNUP_IP_LIMIT="2", SIGNUP_TOTAL_LIMIT="100") as app:
        prefix = unique_name("sk")[:10] + "_"
        for index in range(3):
            with reflex_socket(app) as tab:
                tab.send(handler(rx.State, "hydrate"), path="/signup")
                form = {"username": f"{prefix}{index}", "password": PASSWORD, "confirm": PASSWORD}
                tab.send(handler(SignupState, "submit"), {"form_data": form}, path="/signup")
                if index < 2:
                    tab.wait_for('"handoff_url_rx_state_": "/auth/session?code=')
                else:
                    tab.wait_for("Too many sign-ups right now, try again in")
        assert _users(app, prefix) == 2


async def _sign_in_during_flood(app: LiveApp, username: str, prefix: str) -> tuple[int, int]:
    """Start a signup flood, then sign in; how many signups were still pending at that point."""
    limits = httpx.Limits(max_connections=FLOOD + 10)
    async with httpx.AsyncClient(base_url=app.base_url, timeout=300, limits=limits) as http:
        flood = [
            asyncio.create_task(
                http.post("/users/", json={"username": f"{prefix}{i}", "password": PASSWORD})
            )
            for i in range(40)
        ]
        # Wait until the flood has really started: the first account exists.
        await asyncio.wait(flood, return_when=asyncio.FIRST_COMPLETED)
        answer = await http.post("/token", data={"username": username, "password": PASSWORD})
        pending = sum(not task.done() for task in flood)
        await asyncio.gather(*flood)
        return answer.status_code, pending


@pytest.mark.postgres
def test_sec19_sign_in_is_not_queued_behind_a_signup_flood(
    live_app_factory: LiveAppFactory,
) -> None:
    """With the limits off, 40 slow signups still leave sign-ins a thread of their own."""
    settings = {"SIGNUP_IP_LIMIT": "0", "SIGNUP_TOTAL_LIMIT": "0", "BCRYPT_ROUNDS": "11"}
    with live_app_factory(**settings) as app:
        username = unique_name("calm")
        create_user(app, username)  # hashed with the tests' 4 rounds: checking it is quick
        status, pending = _in_thread(
            lambda: _sign_in_during_flood(app, username, unique_name("q")[:10] + "_")
        )
        assert status == 200
        # Shared with signups, the sign-in would have waited for nearly all of them.
        assert pending >= 20, f"only {pending} of 40 signups were still queued"


def test_sec19_hashing_pools_are_bounded(override: Override) -> None:
    cores = os.cpu_count() or 1
    assert workers.sign_in_pool()._max_workers == cores
    assert workers.hashing_pool()._max_workers == max(1, cores - 1)
    override(HASHING_THREADS="4")
    workers.sign_in_pool.cache_clear()
    workers.hashing_pool.cache_clear()
    try:
        assert workers.sign_in_pool()._max_workers == 4
        assert workers.hashing_pool()._max_workers == 3
    finally:
        workers.sign_in_pool.cache_clear()
        workers.hashing_pool.cache_clear()
