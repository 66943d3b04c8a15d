"""ASGI middleware: behind a trusted TLS proxy, the request's scheme is the browser's (https).

The server sees plain http from the proxy. Absolute URLs built from the request, such as the
`Location` of Reflex's and FastAPI's trailing-slash redirects, would then send the browser
from https to http. X-Forwarded-Proto counts only through TRUSTED_PROXY_HOPS proxies, by the
same rule as the client's address (nfp_app/security/client_ip.py).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from nfp_app.infra.settings import get_settings
from nfp_app.security.client_ip import is_https

_SECURE = {"http": "https", "websocket": "wss"}


class ForwardedSchemeMiddleware:
    """Sets the scope's scheme to https (wss) when a trusted proxy says the browser used TLS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hops = get_settings().trusted_proxy_hops
        kind = scope["type"]
        if hops and kind in _SECURE and scope.get("scheme") in ("http", "ws"):
            forwarded = Headers(scope=scope).get("x-forwarded-proto", "")
            if is_https("http", forwarded, trusted_proxy_hops=hops):
                scope = {**scope, "scheme": _SECURE[kind]}
        await self.app(scope, receive, send)
