"""ASGI middleware for requests the app must not route: a foreign Host, a path with controls.

Reflex's trailing-slash redirect and FastAPI's build `Location` from the Host header, so with
ALLOWED_HOSTS set a forged Host gets 400 (a websocket, no handshake). Without it, the proxy in
front must pin Host. A path with a control character (a newline, say) would slip past the API's
routes to the page router's plain-text 404; it gets the API's JSON 404 instead.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from nfp_app.infra.settings import get_settings
from nfp_app.security.origins import is_allowed_host

# The websocket close code for "policy violation"; before accept, the server answers 403.
_POLICY_VIOLATION = 1008
# Load balancers probe by IP address; these answers hold nothing a forged Host could misuse.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})


def _has_control_characters(path: str) -> bool:
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in path)


class RequestGuardMiddleware:
    """400 (or a refused handshake) for a Host not allowed; JSON 404 for a path with controls."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        allowed = get_settings().allowed_hosts
        if scope.get("path") in PROBE_PATHS:
            allowed = ()
        if allowed and not is_allowed_host(Headers(scope=scope).get("host", ""), allowed):
            if scope["type"] == "websocket":
                await receive()  # websocket.connect
                await send({"type": "websocket.close", "code": _POLICY_VIOLATION})
                return
            await PlainTextResponse("Invalid host header.", status_code=400)(scope, receive, send)
            return
        if scope["type"] == "http" and _has_control_characters(scope.get("path", "")):
            await JSONResponse({"detail": "Not Found"}, status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)
