"""ASGI middleware that adds the security headers every HTTP response should carry.

It also gives each browser its binding cookie on the first page it loads: a random value,
HttpOnly, that the websocket sees in its handshake. A sign-in's handoff code is bound to it.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nfp_app import routes
from nfp_app.infra.settings import get_settings
from nfp_app.security import device, tokens
from nfp_app.security.client_ip import is_https
from nfp_app.security.cookies import CookieNames, read_cookie

_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
}
HSTS = "max-age=63072000; includeSubDomains"
# Responses of these paths carry credentials or account data: never store them in any cache.
NO_STORE_PREFIXES = (
    f"{routes.AUTH_PREFIX}/",
    "/token",
    "/users",
    "/logout",
    "/password",
    "/passkeys",
)
# The binding cookie lives as long as a device cookie: both identify this browser.
BINDING_MAX_AGE = int(device.LIFETIME.total_seconds())


def binding_cookie_header(name: str, *, secure: bool) -> str:
    """A Set-Cookie value with a fresh binding secret."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = tokens.new_secret()
    morsel = cookie[name]
    morsel["path"] = "/"
    morsel["max-age"] = BINDING_MAX_AGE
    morsel["httponly"] = True
    morsel["samesite"] = "lax"
    morsel["secure"] = secure
    return morsel.OutputString()


def _wants_binding(request: Headers, path: str, name: str) -> bool:
    # Page loads (and the explicit detour) only: API clients and assets need none.
    loads_page = request.get("sec-fetch-dest", "") == "document" or path == routes.AUTH_BIND
    return loads_page and not read_cookie(request.get("cookie", ""), name)


class SecurityHeadersMiddleware:
    """Sets nosniff, referrer and framing policies; no-store on auth routes; HSTS over https;
    the binding cookie for a browser that loads a page without one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        request = Headers(scope=scope)
        settings = get_settings()
        secure = is_https(
            scope.get("scheme", ""),
            request.get("x-forwarded-proto", ""),
            trusted_proxy_hops=settings.trusted_proxy_hops,
        )
        binding = CookieNames.for_base(settings.session_cookie_name, secure=secure).binding
        set_binding = _wants_binding(request, path, binding)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _ALWAYS.items():
                    headers.setdefault(name, value)
                # A response that sets a browser's own cookie must never be cached for another.
                if path.startswith(NO_STORE_PREFIXES) or set_binding:
                    headers["Cache-Control"] = "no-store"
                if set_binding:
                    headers.append("Set-Cookie", binding_cookie_header(binding, secure=secure))
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
