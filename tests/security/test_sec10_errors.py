"""SEC-10: bad input gets a generic 4xx or message; no traceback or SQL text reaches a client."""

from __future__ import annotations

import httpx
import pytest
import reflex as rx

from nfp_app.state.admin_overview import AdminOverviewState
from nfp_app.state.login import LoginState
from nfp_app.state.signup import SignupState
from tests.support.live_app import LiveApp
from tests.support.reflex_socket import INTERNALS, handler, reflex_socket

pytestmark = [pytest.mark.security, pytest.mark.postgres]

MEGABYTE = 1024 * 1024
# What Reflex shows in production for any handler error: no type, message or stack.
GENERIC_TOAST = "Contact the website administrator."


def _no_internals(text: str, where: str) -> None:
    for marker in INTERNALS:
        assert marker not in text, f"{marker!r} reached the client from {where}: {text[:500]}"


def test_sec10_rest_bad_input_gets_a_generic_4xx(live_app: LiveApp) -> None:
    """Malformed JSON, wrong types, a 1 MB body and bad paths: 4xx, and nothing internal."""
    json_headers = {"Content-Type": "application/json"}
    with httpx.Client(base_url=live_app.base_url, timeout=60) as http:
        answers = [
            http.post("/users/", content=b'{"username": "x", "password": ', headers=json_headers),
            http.post("/users/", content=b"\xff\xfe not json", headers=json_headers),
            http.post("/users/", json=["a", "list"]),
            http.post("/users/", json={"username": 123, "password": ["x"], "email": {"a": 1}}),
            http.post("/users/", json={"username": "u" * MEGABYTE, "password": "p" * 64}),
            http.post("/users/", content=b"{" * MEGABYTE, headers=json_headers),
            http.post("/token", data={"username": "u" * MEGABYTE, "password": "p"}),
            http.post("/token", content=b"username=%ZZ&password=%", headers={}),
            http.post("/token", json={"username": "x", "password": "y"}),
            http.get("/users/me/", headers={"Authorization": "Bearer " + "x" * MEGABYTE}),
            http.get("/users/me/", headers={"Authorization": "Bearer eyJ.eyJ.sig"}),
            http.patch("/users/not-a-number", json={"is_admin": True}),
            http.patch("/users/99999999999999999999", json={"is_admin": True}),
            http.get("/users/?offset=-1&limit=1000000"),
        ]
        # The cookie beacon's route answers a bad code the way it answers an expired one.
        beacon = http.get("/auth/session?code=" + "c" * 10_000)
    assert beacon.status_code == 303
    assert beacon.headers["location"].endswith("/login")
    assert "set-cookie" not in beacon.headers
    for answer in answers:
        where = f"{answer.request.method} {answer.request.url.path} -> {answer.status_code}"
        assert 400 <= answer.status_code < 500, where
        _no_internals(answer.text, where)
        _no_internals(str(answer.headers), where)


def test_sec10_websocket_bad_events_get_a_generic_message(live_app: LiveApp) -> None:
    """Unknown handlers, malformed events and wrong types get the generic toast at most."""
    with reflex_socket(live_app) as tab:
        tab.send(handler(rx.State, "hydrate"))
        for name in (
            "no_such_handler",
            handler(rx.State, "no_such_handler"),
            handler(AdminOverviewState, "_require_login"),
            "reflex___state____state.no.such.state.handler",
            "",
            "x" * 10_000,
        ):
            tab.send(name, {})
        for malformed in ("not json at all", ["a", "list"], {"payload": {}}, {"name": 12}, 7):
            tab.send_raw(malformed)
        tab.send(handler(AdminOverviewState, "refresh"), ["a", "list"])
        tab.send(handler(LoginState, "submit"), {"form_data": ["not", "a", "dict"]})
        tab.send(handler(LoginState, "submit"), {"form_data": {"username": 1, "password": 2}})
        tab.send(handler(SignupState, "rate_password"), {"value": {"nested": [1, 2]}})
        tab.send(handler(SignupState, "submit"), {"form_data": {"username": None, "email": 5}})
        assert tab.sync(), "the server closed the connection over bad events"
        _no_internals(tab.text(), "the websocket")
        assert GENERIC_TOAST in tab.text(), "the errors were not reported at all"

    # A 1 MB event: refused or handled, the server stays up and says nothing internal.
    with reflex_socket(live_app) as big:
        form = {"username": "u" * MEGABYTE, "password": "p" * MEGABYTE}
        big.send(handler(LoginState, "submit"), {"form_data": form}, path="/login")
        big.sync()  # answered, or the connection closed: either is a positive signal
        _no_internals(big.text(), "a 1 MB event")
    with reflex_socket(live_app) as after:
        after.send(handler(rx.State, "hydrate"))
        after.wait_for("is_hydrated")
        _no_internals(after.text(), "the next connection")
