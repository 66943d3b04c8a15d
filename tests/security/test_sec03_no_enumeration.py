"""SEC-3: sign-in never tells whether a username exists, by text, status, headers or timing.

Accepted exception: signup says "That username is already taken." (issue #2 asks for it), so
the signup form and POST /users/ (409) reveal taken names and addresses by design.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import httpx
import pytest
from sqlmodel import Session

from nfp_app.services import accounts, signin
from nfp_app.state.login import BAD_CREDENTIALS, error_for
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveAppFactory
from tests.support.overrides import Override
from tests.support.security import audit_rows, client

pytestmark = [pytest.mark.security]

SAMPLES = 30
TOLERANCE = 0.20
# Enough rounds that hashing, not scheduling noise, dominates each attempt.
TIMING_ROUNDS = "11"
UNTHROTTLED = {"THROTTLE_ACCOUNT_FAILURES": "0", "THROTTLE_IP_FAILURES": "0"}


def _medians(
    unknown: Callable[[int], object], wrong: Callable[[int], object]
) -> tuple[float, float]:
    """Median seconds of each kind of attempt, interleaved so drift hits both alike."""
    for index in range(3):  # warm-up: connections, caches, the dummy hash
        unknown(index)
        wrong(index)
    times: dict[str, list[float]] = {"unknown": [], "wrong": []}
    for index in range(SAMPLES):
        for kind, attempt in (("unknown", unknown), ("wrong", wrong)):
            started = time.perf_counter()
            attempt(index)
            times[kind].append(time.perf_counter() - started)
    return statistics.median(times["unknown"]), statistics.median(times["wrong"])


def _assert_close(unknown: float, wrong: float) -> None:
    print(f"median unknown {unknown * 1000:.1f} ms, wrong password {wrong * 1000:.1f} ms")
    ratio = unknown / wrong
    assert 1 - TOLERANCE <= ratio <= 1 + TOLERANCE, f"unknown {unknown:.4f}s, wrong {wrong:.4f}s"


def test_sec03_service_answers_alike(session: Session) -> None:
    accounts.create_user(session=session, username="known", password=PASSWORD)
    session.commit()
    results = [
        signin.sign_in(
            binding="a browser", session=session, username=name, password=password, persistent=False
        )
        for name, password in (("known", "wrong password!"), ("ghost", PASSWORD))
    ]
    assert results[0] == results[1] == signin.BadCredentials()
    assert error_for(results[0]) == error_for(results[1]) == BAD_CREDENTIALS
    rows = audit_rows(session, "login")
    assert [(row.outcome, row.detail) for row in rows] == [("failure", ""), ("failure", "")]


def test_sec03_service_timing_unknown_vs_wrong_password(
    session: Session, override: Override
) -> None:
    override(BCRYPT_ROUNDS=TIMING_ROUNDS, **UNTHROTTLED)
    accounts.create_user(session=session, username="known", password=PASSWORD)
    session.commit()

    def attempt(name: str) -> Callable[[int], object]:
        def run(index: int) -> object:
            result = signin.sign_in(
                binding="a browser",
                session=session,
                username=name,
                password=f"wrong {index}",
                persistent=False,
            )
            session.commit()
            assert isinstance(result, signin.BadCredentials)
            return result

        return run

    _assert_close(*_medians(attempt("ghost_user"), attempt("known")))


@pytest.mark.postgres
def test_sec03_rest_timing_text_status_and_headers(live_app_factory: LiveAppFactory) -> None:
    with (
        live_app_factory(BCRYPT_ROUNDS=TIMING_ROUNDS, **UNTHROTTLED) as app,
        client(app.base_url) as http,
    ):
        name = unique_name("known")
        assert (
            http.post("/users/", json={"username": name, "password": PASSWORD}).status_code == 200
        )

        def token(username: str, password: str) -> httpx.Response:
            response = http.post("/token", data={"username": username, "password": password})
            assert response.status_code == 401
            return response

        wrong = token(name, "wrong password!")
        unknown = token(unique_name("ghost"), "wrong password!")
        assert wrong.content == unknown.content
        # Every response has its own date and request id; everything else must match.
        per_response = {"date", "x-request-id"}
        same_headers = {k: v for k, v in wrong.headers.items() if k not in per_response}
        assert same_headers == {k: v for k, v in unknown.headers.items() if k not in per_response}
        assert wrong.headers.keys() == unknown.headers.keys()
        _assert_close(
            *_medians(
                lambda i: token(f"ghost_{i}_{name}", f"wrong {i}"),
                lambda i: token(name, f"wrong {i}"),
            )
        )
