"""SEC-22: only the configured host names get an answer; API docs are off in production.

Reflex's trailing-slash redirect and FastAPI's build `Location` from the Host header. With
ALLOWED_HOSTS set, a forged Host gets 400 (and a websocket no handshake); without it, the proxy
in front must pin Host, as docs/SECURITY.md says.
"""

from __future__ import annotations

import httpx
import pytest

from nfp_app.security.origins import host_name, is_allowed_host, is_own_origin
from tests.support.handshake import websocket_handshake_status
from tests.support.live_app import LiveApp, LiveAppFactory

pytestmark = [pytest.mark.security]


def test_sec22_host_rules() -> None:
    assert host_name("Example.COM:8443") == "example.com"
    assert host_name("[::1]:3000") == "::1"
    assert host_name("") == ""
    assert is_allowed_host("app.example.com", ["app.example.com"])
    assert is_allowed_host("a.example.com:443", ["*.example.com"])
    assert not is_allowed_host("example.com.evil.example", ["example.com", "*.example.com"])
    assert not is_allowed_host("evilexample.com", ["*.example.com"])
    assert not is_allowed_host("", ["example.com"])


def test_sec22_origin_rules() -> None:
    allowed = ["https://app.example.com"]
    assert is_own_origin("https://app.example.com", host="x", allowed_origins=allowed)
    assert is_own_origin("http://localhost:3000", host="localhost:3000", allowed_origins=[])
    assert not is_own_origin("https://evil.example", host="localhost:3000", allowed_origins=allowed)
    assert not is_own_origin("null", host="localhost:3000", allowed_origins=allowed)
    assert not is_own_origin("", host="localhost:3000", allowed_origins=allowed)


@pytest.mark.postgres
def test_sec22_allowed_hosts(live_app_factory: LiveAppFactory) -> None:
    with live_app_factory(ALLOWED_HOSTS="localhost") as app, httpx.Client(timeout=30) as http:
        assert http.get(app.url("/ping")).status_code == 200
        forged = {"Host": "evil.example"}
        for path in ("/login", "/users/me/", "/token"):
            refused = http.get(app.url(path), headers=forged)
            assert refused.status_code == 400, path
            assert refused.text == "Invalid host header."
            assert refused.headers["x-content-type-options"] == "nosniff"
        assert websocket_handshake_status(app.base_url, app.base_url, "evil.example") != 101
        assert websocket_handshake_status(app.base_url, app.base_url) == 101


@pytest.mark.postgres
def test_sec22_without_allowed_hosts_the_redirect_echoes_host(live_app: LiveApp) -> None:
    """Why a proxy must pin Host when ALLOWED_HOSTS is empty (the live app's setting)."""
    answer = httpx.get(live_app.url("/login"), headers={"Host": "evil.example"})
    assert answer.status_code == 307
    assert answer.headers["location"] == "http://evil.example/login/"


@pytest.mark.postgres
def test_sec22_docs_are_off_in_production_by_default(live_app_factory: LiveAppFactory) -> None:
    with live_app_factory() as app, httpx.Client(base_url=app.base_url, timeout=30) as http:
        assert http.get("/ping").status_code == 200
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert http.get(path).status_code == 404, path
