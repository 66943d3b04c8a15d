"""SEC-2: long passwords keep every byte; NUL and megabyte passwords get a quick, clear refusal."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlmodel import Session

from nfp_app.security import policy
from nfp_app.security.policy import PolicyError
from nfp_app.services import accounts, signin
from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp
from tests.support.security import client

pytestmark = [pytest.mark.security]

LONG = "ü" * 40 + " and then some more words"  # 105 bytes in UTF-8
MEGABYTE = "p" * 1_000_000
FAST_SECONDS = 2.0


def _timed(action: object) -> tuple[object, float]:
    assert callable(action)
    started = time.perf_counter()
    outcome = action()
    return outcome, time.perf_counter() - started


def test_sec02_service_keeps_every_byte_past_72(session: Session) -> None:
    assert len(LONG.encode()) > 72
    accounts.create_user(session=session, username="longpw", password=LONG)
    session.commit()

    def attempt(password: str) -> signin.SignInResult:
        return signin.sign_in(
            binding="a browser",
            session=session,
            username="longpw",
            password=password,
            persistent=False,
        )

    assert isinstance(attempt(LONG), signin.SignedIn)
    assert isinstance(attempt(LONG.encode()[:72].decode()), signin.BadCredentials)
    assert isinstance(attempt(LONG[:-1] + "Z"), signin.BadCredentials)


@pytest.mark.parametrize(
    ("password", "message"),
    [("nul\x00byte password", "NUL"), (MEGABYTE, "at most 1024 characters")],
)
def test_sec02_service_refuses_quickly_with_a_clear_message(
    session: Session, password: str, message: str
) -> None:
    def create() -> object:
        with pytest.raises(PolicyError) as caught:
            accounts.create_user(session=session, username="odd_pw", password=password)
        return caught.value

    error, seconds = _timed(create)
    assert isinstance(error, PolicyError)
    assert message in error.message
    assert seconds < FAST_SECONDS


def test_sec02_service_sign_in_with_a_megabyte_is_quick(session: Session) -> None:
    accounts.create_user(session=session, username="target", password=LONG)
    session.commit()
    result, seconds = _timed(
        lambda: signin.sign_in(
            binding="a browser",
            session=session,
            username="target",
            password=MEGABYTE,
            persistent=False,
        )
    )
    assert isinstance(result, signin.BadCredentials)
    assert seconds < FAST_SECONDS


@pytest.mark.parametrize(
    "email", ["a\x00b@example.com", "a\x01b@example.com", "ab@exa\x7fmple.com"]
)
def test_sec02_emails_with_nul_or_control_characters_are_refused(email: str) -> None:
    with pytest.raises(PolicyError) as caught:
        policy.check_email(email)
    assert caught.value.field == "email"


@pytest.mark.postgres
def test_sec02_rest_keeps_every_byte_past_72(live_app: LiveApp) -> None:
    name = unique_name("long")
    with client(live_app.base_url) as http:
        created = http.post("/users/", json={"username": name, "password": LONG})
        assert created.status_code == 200, created.text
        token = http.post("/token", data={"username": name, "password": LONG})
        assert token.status_code == 200
        for wrong in (LONG.encode()[:72].decode(), LONG[:-1] + "Z"):
            assert (
                http.post("/token", data={"username": name, "password": wrong}).status_code == 401
            )


@pytest.mark.postgres
@pytest.mark.parametrize("password", ["nul\x00byte password", MEGABYTE])
def test_sec02_rest_answers_4xx_within_2_seconds(live_app: LiveApp, password: str) -> None:
    with client(live_app.base_url) as http:
        requests: list[tuple[str, dict[str, object]]] = [
            ("/users/", {"json": {"username": unique_name("nul"), "password": password}}),
            ("/token", {"data": {"username": unique_name("ghost"), "password": password}}),
        ]
        for path, body in requests:
            started = time.perf_counter()
            response: httpx.Response = http.post(path, **body)  # type: ignore[arg-type]
            seconds = time.perf_counter() - started
            assert 400 <= response.status_code < 500, (path, response.status_code)
            assert seconds < FAST_SECONDS, (path, seconds)
            assert "\x00" not in response.text
            assert MEGABYTE[:2000] not in response.text


@pytest.mark.postgres
def test_sec02_rest_refuses_email_with_nul(live_app: LiveApp) -> None:
    body = {"username": unique_name("em"), "password": LONG, "email": "x\x01y@example.com"}
    with client(live_app.base_url) as http:
        assert http.post("/users/", json=body).status_code == 422
