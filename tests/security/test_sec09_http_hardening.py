"""SEC-9: security headers on pages and API, no-store on auth, HSTS and Secure cookies over https.

The CORS and websocket origin allowlist is tested in tests/api/test_cors.py; the two checks below
repeat its essentials so that this property is proven in one place.
"""

from __future__ import annotations

import re

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from nfp_app.api import create_api
from nfp_app.infra import db
from nfp_app.infra.security_headers import HSTS, SecurityHeadersMiddleware
from nfp_app.security import tokens
from nfp_app.security.client_ip import is_https
from nfp_app.security.cookies import CookieNames
from nfp_app.services import accounts, auth_sessions
from tests.api.test_cors import EVIL
from tests.support.accounts import PASSWORD, unique_name
from tests.support.event_loop import run_coroutine
from tests.support.handshake import websocket_handshake_status
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.overrides import Override
from tests.support.security import client

pytestmark = [pytest.mark.security]

AUTH_PATHS = ("/token", "/users/me/", "/auth/session", "/auth/logout")


def _assert_hardened(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url.path}"
    headers = response.headers
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", where
    framing = headers.get("x-frame-options") == "DENY"
    assert framing or "frame-ancestors 'none'" in headers.get("content-security-policy", ""), where
    assert "strict-transport-security" not in headers, f"HSTS over plain http: {where}"


@pytest.mark.postgres
def test_sec09_headers_on_pages_api_and_assets(live_app: LiveApp) -> None:
    """Pages, REST answers (200 and 4xx), the OpenAPI document and built assets all carry them."""
    with httpx.Client(base_url=live_app.base_url, timeout=30) as http:
        login_page = http.get("/login/")
        assert login_page.status_code == 200
        assets = re.findall(r'(?:src|href)="(/assets/[^"]+\.(?:js|css))"', login_page.text)
        assert assets, "no built asset is linked from /login/"
        responses = [
            login_page,
            http.get("/admin/"),
            http.get("/openapi.json"),
            http.get(assets[0]),
            http.get("/users/me/"),
            http.post("/token", data={"username": "nobody", "password": "wrong password!"}),
            http.get("/auth/session?code=nonsense"),
            http.post("/auth/logout"),
        ]
    for response in responses:
        assert response.status_code < 500
        _assert_hardened(response)
        if response.request.url.path.startswith(AUTH_PATHS):
            assert response.headers.get("cache-control") == "no-store", response.request.url


@pytest.mark.postgres
def test_sec09_origin_allowlist(live_app: LiveApp) -> None:
    """CORS and the websocket handshake refuse a foreign origin and accept the app's own."""
    with httpx.Client(base_url=live_app.base_url, timeout=30) as http:
        foreign = http.get("/users/me/", headers={"Origin": EVIL})
        assert "access-control-allow-origin" not in foreign.headers
        own = http.get("/users/me/", headers={"Origin": live_app.base_url})
        assert own.headers.get("access-control-allow-origin") == live_app.base_url
    assert websocket_handshake_status(live_app.base_url, EVIL) != 101
    assert websocket_handshake_status(live_app.base_url, live_app.base_url) == 101


def test_sec09_https_detection() -> None:
    """https is the scheme, or X-Forwarded-Proto from as many trusted proxies as configured."""
    assert is_https("https", "", trusted_proxy_hops=0)
    assert not is_https("http", "https", trusted_proxy_hops=0)
    assert is_https("http", "https", trusted_proxy_hops=1)
    assert is_https("http", "HTTPS", trusted_proxy_hops=1)
    assert not is_https("http", "http", trusted_proxy_hops=1)
    assert not is_https("http", "https, http", trusted_proxy_hops=1)
    assert is_https("http", "https, http", trusted_proxy_hops=2)
    assert not is_https("http", "https", trusted_proxy_hops=2)


Ask = tuple[str, str, dict[str, str]]


async def _ask(base_url: str, headers: dict[str, str], *asks: Ask) -> list[httpx.Response]:
    """Send each request to the API wrapped in the headers middleware, as an ASGI server would."""
    transport = httpx.ASGITransport(app=SecurityHeadersMiddleware(create_api()))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
        return [
            await client.request(method, path, headers={**headers, **extra})
            for method, path, extra in asks
        ]


def _set_cookie(response: httpx.Response, name: str) -> str:
    found = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


def _bound_code(engine: sa.Engine) -> tuple[str, str]:
    """A handoff code of a new account's session, and the binding it is bound to."""
    with Session(engine) as session:
        user = accounts.create_user(
            session=session, username=unique_name("hsts"), password=PASSWORD
        )
        binding = tokens.new_secret()
        started = auth_sessions.start_browser_session(
            session=session, user=user, persistent=True, binding=binding
        )
        session.commit()
    return started.handoff_code, binding


def _asks(code: str, binding: str, origin: str, *, secure: bool) -> list[Ask]:
    names = CookieNames.for_base("nfp_session", secure=secure)
    return [
        ("GET", "/users/me/", {}),
        ("GET", f"/auth/session?code={code}", {"Cookie": f"{names.binding}={binding}"}),
        ("POST", "/auth/logout", {"Origin": origin}),
        ("GET", "/login", {"Sec-Fetch-Dest": "document"}),
    ]


def _assert_transport_security(responses: list[httpx.Response], *, secure: bool) -> None:
    """HSTS on every response; every cookie HttpOnly, SameSite=Lax, Path=/, no Domain, and
    Secure with the __Host- prefix exactly when the browser used https."""
    names = CookieNames.for_base("nfp_session", secure=secure)
    docs, answer, cleared, page = responses
    assert answer.status_code == 303
    assert cleared.status_code == 303
    for response in responses:
        assert (response.headers.get("strict-transport-security") == HSTS) is secure
    set_cookies = [
        _set_cookie(answer, names.session),
        _set_cookie(answer, names.device),
        _set_cookie(cleared, names.session),
        _set_cookie(page, names.binding),
    ]
    for cookie in set_cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=lax" in cookie.replace("SameSite=Lax", "SameSite=lax")
        assert "Path=/" in cookie
        assert "Domain" not in cookie
        assert ("Secure" in cookie) is secure
        assert cookie.startswith("__Host-") is secure
    assert answer.headers["cache-control"] == "no-store"
    assert page.headers["cache-control"] == "no-store"
    assert docs.status_code == 401


def test_sec09_hsts_and_secure_cookie_over_direct_https(
    sqlite_engine: sa.Engine, override: Override
) -> None:
    """Served over https itself (no proxy; in-process, since the test server has no TLS)."""
    override(DATABASE_URL=sqlite_engine.url.render_as_string(hide_password=False))
    code, binding = _bound_code(sqlite_engine)
    asks = _asks(code, binding, "https://testserver", secure=True)
    responses = run_coroutine(_ask("https://testserver", {}, *asks))
    _assert_transport_security(responses, secure=True)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("hops", "headers", "secure"),
    [
        ("1", {}, False),
        ("1", {"X-Forwarded-Proto": "https"}, True),
        ("0", {"X-Forwarded-Proto": "https"}, False),
    ],
    ids=["proxy-http", "trusted-proxy-https", "forged-proto"],
)
def test_sec09_hsts_and_secure_cookie_behind_a_proxy(
    live_app_factory: LiveAppFactory, hops: str, headers: dict[str, str], secure: bool
) -> None:
    """Through the real server: X-Forwarded-Proto counts only from a trusted proxy."""
    with live_app_factory(TRUSTED_PROXY_HOPS=hops) as app, client(app.base_url) as http:
        code, binding = _bound_code(db.engine_for(app.database_url))
        responses = [
            http.request(method, path, headers={**headers, **extra})
            for method, path, extra in _asks(code, binding, app.base_url, secure=secure)
        ]
    _assert_transport_security(responses, secure=secure)


@pytest.mark.postgres
def test_sec09_redirects_keep_the_browsers_scheme_behind_a_trusted_proxy(
    live_app: LiveApp, live_app_factory: LiveAppFactory
) -> None:
    """Reflex's trailing-slash redirect stays on https behind a trusted TLS proxy, only there."""
    tls = {"X-Forwarded-Proto": "https"}
    with (
        live_app_factory(backend_only=False, TRUSTED_PROXY_HOPS="1") as proxied,
        client(proxied.base_url) as http,
    ):
        behind_tls = http.get("/login", headers=tls)
        behind_http = http.get("/login")
    # The session's live app trusts no proxy: the same header is a forgery there.
    with client(live_app.base_url) as http:
        forged = http.get("/login", headers=tls)
    locations = [answer.headers.get("location", "") for answer in (behind_tls, behind_http, forged)]
    assert [answer.status_code for answer in (behind_tls, behind_http, forged)] == [307] * 3
    assert locations == [
        proxied.url("/login/").replace("http://", "https://"),
        proxied.url("/login/"),
        live_app.url("/login/"),
    ]
