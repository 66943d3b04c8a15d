"""ASGI middleware that adds the security headers every HTTP response should carry."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nfp_app.security.client_ip import is_https
from nfp_app.settings import get_settings

_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}
HSTS = "max-age=63072000; includeSubDomains"
# Responses of these paths carry credentials or account data: never store them in any cache.
NO_STORE_PREFIXES = ("/auth/", "/token", "/users", "/logout")


class SecurityHeadersMiddleware:
    """Sets nosniff, referrer and framing policies; no-store on auth routes; HSTS over https."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        secure = is_https(
            scope.get("scheme", ""),
            Headers(scope=scope).get("x-forwarded-proto", ""),
            trusted_proxy_hops=get_settings().trusted_proxy_hops,
        )

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                if path.startswith(NO_STORE_PREFIXES):
                    headers["Cache-Control"] = "no-store"
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
