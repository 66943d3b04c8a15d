"""POST /password/forgot and POST /password/reset, against the live app and its real mail."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import sqlalchemy as sa

from tests.support.accounts import create_user, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.mailbox import MAILBOX

pytestmark = [pytest.mark.api, pytest.mark.postgres]

NEW_PASSWORD = "violet tractor hums beneath 7 moons"


def _mailed_token(email: str) -> str:
    link = MAILBOX.wait_for(email, "Reset your nfp_app password").link("/reset-password?token=")
    return parse_qs(urlsplit(link).query)["token"][0]


def test_forgot_always_answers_202(api: httpx.Client, live_app: LiveApp) -> None:
    username = unique_name("fg")
    create_user(live_app, username, email=f"{username}@mail.example")
    answers = [
        api.post("/password/forgot", json={"identifier": identifier})
        for identifier in (username, unique_name("nobody"), "nobody@nowhere.example")
    ]
    assert {answer.status_code for answer in answers} == {202}
    assert len({answer.text for answer in answers}) == 1


def test_reset_with_the_mailed_token(api: httpx.Client, live_app: LiveApp) -> None:
    username = unique_name("rs")
    email = f"{username}@mail.example"
    create_user(live_app, username, email=email)
    assert api.post("/password/forgot", json={"identifier": email}).status_code == 202
    token = _mailed_token(email)
    weak = api.post("/password/reset", json={"token": token, "password": "short"})
    assert weak.status_code == 422
    done = api.post("/password/reset", json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 200, done.text
    again = api.post("/password/reset", json={"token": token, "password": NEW_PASSWORD + "!"})
    assert again.status_code == 400
    assert "no longer works" in again.json()["detail"]
    signed_in = api.post("/token", data={"username": username, "password": NEW_PASSWORD})
    assert signed_in.status_code == 200


def _reset_mails_to(app: LiveApp, email: str) -> int:
    engine = sa.create_engine(app.database_url)
    try:
        with engine.connect() as connection:
            query = sa.text("SELECT count(*) FROM mail_message WHERE to_address = :to")
            return int(connection.execute(query, {"to": email}).scalar_one())
    finally:
        engine.dispose()


def test_forgot_is_throttled_per_account_without_saying_so(
    live_app_factory: LiveAppFactory,
) -> None:
    """The sixth request gets the same 202 and text, but no mail is queued for it."""
    with live_app_factory() as app, httpx.Client(base_url=app.base_url, timeout=30) as http:
        username = unique_name("thr")
        email = f"{username}@mail.example"
        create_user(app, username, email=email)
        # Named by address and by username in turn: both draw on the one account's budget.
        answers = [
            http.post("/password/forgot", json={"identifier": identifier})
            for identifier in (email, username) * 3
        ]
        assert [answer.status_code for answer in answers] == [202] * 6
        assert len({answer.text for answer in answers}) == 1
        # The answers come after the rows are committed: the count is final here.
        assert _reset_mails_to(app, email) == 5
