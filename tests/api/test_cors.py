"""CORS and the websocket handshake accept only the configured origins, by default the app's own."""

from __future__ import annotations

import socket
import uuid
from urllib.parse import urlsplit

import httpx
import pytest

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


def _websocket_handshake_status(base_url: str, origin: str, host: str = "") -> int:
    """The HTTP status the Socket.IO endpoint answers a websocket upgrade with."""
    address = urlsplit(base_url)
    assert address.hostname is not None
    assert address.port is not None
    request = (
        f"GET /_event/?EIO=4&transport=websocket&token={uuid.uuid4()} HTTP/1.1\r\n"
        f"Host: {host or address.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: {origin}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(request.encode())
        status_line = conn.recv(4096).split(b"\r\n", 1)[0]
    return int(status_line.split()[1])


def test_websocket_refuses_unknown_origin(live_app: LiveApp) -> None:
    assert _websocket_handshake_status(live_app.base_url, live_app.base_url) == 101
    assert _websocket_handshake_status(live_app.base_url, EVIL) != 101
