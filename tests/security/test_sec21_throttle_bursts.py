"""SEC-21: a concurrent burst of guesses gets at most the limit checked.

Each attempt is counted under a lock per key before the slow password check and released
when it succeeds, so "slightly more than the limit" is now "at most the limit".
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from nfp_app.services import accounts, signin
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveAppFactory

pytestmark = [pytest.mark.security]

BURST = 40
LIMIT = 5  # THROTTLE_ACCOUNT_FAILURES
WRONG = "a guess that is wrong"


@pytest.mark.usefixtures("throttle_store")
def test_sec21_concurrent_guesses_on_the_database(engine: sa.Engine) -> None:
    """40 wrong guesses at once, on SQLite and PostgreSQL, counted there or in Redis: at most 5
    are checked, and the right password is refused afterwards, like every other attempt."""
    with Session(engine) as session:
        accounts.create_user(session=session, username="target", password=PASSWORD)
        session.commit()
    barrier = threading.Barrier(BURST)

    def guess(password: str) -> signin.SignInResult:
        with Session(engine, expire_on_commit=False) as session:
            result = signin.sign_in(
                binding="a browser",
                session=session,
                username="target",
                password=password,
                persistent=False,
                ip="198.51.100.21",
            )
            session.commit()
            return result

    def burst_guess(_index: int) -> signin.SignInResult:
        barrier.wait(timeout=30)
        return guess(WRONG)

    with ThreadPoolExecutor(BURST) as pool:
        results = list(pool.map(burst_guess, range(BURST)))
    checked = [r for r in results if isinstance(r, signin.BadCredentials)]
    throttled = [r for r in results if isinstance(r, signin.Throttled)]
    assert len(checked) == LIMIT, [type(r).__name__ for r in results]
    assert len(throttled) == BURST - LIMIT
    assert isinstance(guess(PASSWORD), signin.Throttled)


async def _burst(base_url: str, username: str) -> list[int]:
    limits = httpx.Limits(max_connections=BURST)
    async with httpx.AsyncClient(base_url=base_url, timeout=120, limits=limits) as http:
        form = {"username": username, "password": WRONG}
        answers = await asyncio.gather(*(http.post("/token", data=form) for _ in range(BURST)))
        right = await http.post("/token", data={"username": username, "password": PASSWORD})
    return [answer.status_code for answer in [*answers, right]]


@pytest.mark.postgres
def test_sec21_rest_burst(live_app_factory: LiveAppFactory) -> None:
    """The reported burst over REST: of 40 concurrent guesses exactly 5 are checked (401), and
    the right password that follows waits (429)."""
    with live_app_factory() as app:
        username = unique_name("burst")
        create_user(app, username)
        with ThreadPoolExecutor(1) as pool:
            statuses = pool.submit(lambda: asyncio.run(_burst(app.base_url, username))).result()
    assert sorted(statuses[:-1]) == [401] * LIMIT + [429] * (BURST - LIMIT)
    assert statuses[-1] == 429
