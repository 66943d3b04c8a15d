"""SIGTERM lets requests in flight finish, for at most SHUTDOWN_TIMEOUT_SECONDS."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.recovery import account_exists, process_of, record, wait_for_hashing

pytestmark = [pytest.mark.resilience, pytest.mark.postgres]


def _sign_up(app: LiveApp, username: str) -> httpx.Response:
    body = {"username": username, "password": PASSWORD}
    return httpx.post(app.url("/users/"), json=body, timeout=120)


def test_a_signup_in_flight_finishes_after_sigterm(live_app_factory: LiveAppFactory) -> None:
    """A slow signup (bcrypt cost 15) started before SIGTERM gets its answer and its account;
    then the app exits by itself, and refuses new connections meanwhile."""
    username = unique_name("grace")
    with (
        live_app_factory(BCRYPT_ROUNDS="15", SHUTDOWN_TIMEOUT_SECONDS="120") as app,
        ThreadPoolExecutor(1) as pool,
    ):
        process = process_of(app)
        answer = pool.submit(_sign_up, app, username)
        wait_for_hashing(app)
        stopping = time.monotonic()
        process.terminate()
        response = answer.result(timeout=120)
        assert response.status_code == 200, response.text
        assert response.json()["username"] == username
        exit_code = process.wait(60)
        record("graceful stop with a signup in flight", time.monotonic() - stopping)
        assert exit_code == 0, app.log_path.read_text()[-3000:]
        assert account_exists(app, username)
        with pytest.raises(httpx.ConnectError):
            httpx.get(app.url("/ping"), timeout=5)


def test_the_shutdown_timeout_bounds_the_wait(live_app_factory: LiveAppFactory) -> None:
    """A request slower than SHUTDOWN_TIMEOUT_SECONDS is cut off: the app exits on time, the
    client sees the connection drop, and the half-done signup left nothing behind."""
    username = unique_name("cut")
    # Cost 18 hashes for far longer (well over 10 s here) than the 1 s the app may take.
    with (
        live_app_factory(BCRYPT_ROUNDS="18", SHUTDOWN_TIMEOUT_SECONDS="1") as app,
        ThreadPoolExecutor(1) as pool,
    ):
        process = process_of(app)
        answer = pool.submit(_sign_up, app, username)
        wait_for_hashing(app)
        stopping = time.monotonic()
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            pytest.fail("the app still ran 10 s after SIGTERM with SHUTDOWN_TIMEOUT_SECONDS=1")
        record("stop with SHUTDOWN_TIMEOUT_SECONDS=1, cost-18 hash", time.monotonic() - stopping)
        with pytest.raises(httpx.TransportError):
            answer.result(timeout=60)
        assert "refused to gracefully stop" in app.log_path.read_text()
        assert not account_exists(app, username)
