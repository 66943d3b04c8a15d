"""Production logs: JSON lines, one per request and per auth event, with no secret in them."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support.accounts import PASSWORD, unique_name
from tests.support.api import bearer
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.mailbox import MAILBOX
from tests.support.reflex_socket import cookie_secret, redeem, reflex_socket, submit_login

pytestmark = [pytest.mark.api, pytest.mark.postgres]

NEW_PASSWORD = "quiet-Meadow-93-compass"
WRONG_PASSWORD = "wrong-Lantern-12-harbor"
REQUEST_FIELDS = {"method", "path", "status", "duration_ms", "client_ip", "request_id"}


def _lines(app: LiveApp) -> list[dict[str, Any]]:
    records = []
    for number, line in enumerate(app.log_path.read_text().splitlines(), 1):
        record = json.loads(line)  # every line, the startup banner included
        assert isinstance(record, dict), f"line {number}: {line}"
        assert {"timestamp", "level", "message"} <= record.keys(), f"line {number}: {line}"
        records.append(record)
    return records


def _walk_through(app: LiveApp) -> dict[str, str]:
    """Signup, sign-ins right and wrong (page and REST), /users/me/, a reset by link; the
    secrets these handed out, and the request id of the last answer."""
    username = unique_name("log")
    email = f"{username}@mail.example"
    with httpx.Client(base_url=app.base_url, timeout=30) as http:
        signup = http.post(
            "/users/", json={"username": username, "password": PASSWORD, "email": email}
        )
        assert signup.status_code == 200, signup.text
        with reflex_socket(app) as socket:
            handoff = submit_login(socket, username, PASSWORD)
            cookie = redeem(app, handoff, socket.binding)
        wrong = http.post("/token", data={"username": username, "password": WRONG_PASSWORD})
        assert wrong.status_code == 401
        token = http.post("/token", data={"username": username, "password": PASSWORD})
        assert token.status_code == 200, token.text
        access_token = token.json()["access_token"]
        me = http.get("/users/me/", headers=bearer(access_token))
        assert me.status_code == 200
        assert http.post("/password/forgot", json={"identifier": email}).status_code == 202
        link = MAILBOX.wait_for(email, "Reset your nfp_app password").link("/reset-password?token=")
        reset_token = parse_qs(urlsplit(link).query)["token"][0]
        http.get(urlsplit(link).path + "?" + urlsplit(link).query)
        reset = http.post("/password/reset", json={"token": reset_token, "password": NEW_PASSWORD})
        assert reset.status_code == 200, reset.text
        return {
            "password": PASSWORD,
            "new password": NEW_PASSWORD,
            "wrong password": WRONG_PASSWORD,
            "bearer token": access_token,
            "session cookie": cookie_secret(cookie),
            "binding cookie": socket.binding.partition("=")[2],
            "handoff code": parse_qs(urlsplit(handoff).query)["code"][0],
            "reset token": reset_token,
            "request id": reset.headers["X-Request-ID"],
            "username": username,
        }


def test_production_logs_are_json_without_secrets(live_app_factory: LiveAppFactory) -> None:
    with live_app_factory(REFLEX_LOG_JSON="true", THROTTLE_IP_FAILURES="100000") as app:
        seen = _walk_through(app)
    # The app has stopped: its log is complete.
    records = _lines(app)
    text = app.log_path.read_text()
    requests = [r for r in records if r.get("logger") == "nfp_app.request"]
    assert requests, "no request lines"
    for line in requests:
        assert line.keys() >= REQUEST_FIELDS, line
        assert "?" not in line["path"], line
    by_id = {line["request_id"]: line for line in requests}
    assert by_id[seen["request id"]]["path"] == "/password/reset"
    assert by_id[seen["request id"]]["status"] == 200
    reset_page = [line for line in requests if line["path"] == "/reset-password"]
    assert reset_page, "the reset link's request was not logged"
    audit = [r for r in records if r.get("logger") == "nfp_app.audit"]
    events = {(r["event"], r["outcome"]) for r in audit if r["username"] == seen["username"]}
    expected = {("signup", "success"), ("login", "success"), ("login", "failure")}
    expected |= {("password_reset_request", "success"), ("password_change", "success")}
    assert events >= expected, events
    # The page's sign-in (over the websocket, before the REST one) carries its connection's id.
    mine = [r for r in audit if r["username"] == seen["username"]]
    page_login = next(r for r in mine if (r["event"], r["outcome"]) == ("login", "success"))
    assert by_id[page_login["request_id"]]["method"] == "WEBSOCKET", page_login
    for name in ("password", "new password", "wrong password", "bearer token", "session cookie"):
        assert seen[name] not in text, f"the {name} is in the log"
    for name in ("binding cookie", "handoff code", "reset token"):
        assert seen[name] not in text, f"the {name} is in the log"
