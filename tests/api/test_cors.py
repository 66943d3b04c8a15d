"""CORS and the websocket handshake accept only the configured origins, by default the app's own."""

from __future__ import annotations

import httpx
import pytest

from tests.support.handshake import websocket_handshake_status
from tests.support.live_app import LiveApp

pytestmark = [pytest.mark.api, pytest.mark.postgres]

EVIL = "https://evil.example"


def test_unknown_origin_is_not_reflected(api: httpx.Client) -> None:
    response = api.get("/users/me/", headers={"Origin": EVIL})
    assert "access-control-allow-origin" not in response.headers
    preflight = api.options(
        "/token", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 400
    assert preflight.headers.get("access-control-allow-origin") != EVIL


def test_own_origin_is_allowed(api: httpx.Client, live_app: LiveApp) -> None:
    response = api.get("/users/me/", headers={"Origin": live_app.base_url})
    assert response.headers["access-control-allow-origin"] == live_app.base_url
    preflight = api.options(
        "/token", headers={"Origin": live_app.base_url, "Access-Control-Request-Method": "POST"}
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == live_app.base_url


def test_websocket_refuses_unknown_origin(live_app: LiveApp) -> None:
    assert websocket_handshake_status(live_app.base_url, live_app.base_url) == 101
    assert websocket_handshake_status(live_app.base_url, EVIL) != 101
