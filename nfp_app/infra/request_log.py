"""ASGI middleware: a request id for every request, and one log line when it ends.

The line names the method, the path without its query string (reset and verification links
carry their tokens there), the status, the duration, the client IP and the request id, which
the response returns as X-Request-ID. A websocket connection gets one id for its whole life;
every record logged while it is served (its events' audit lines too) carries that id.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from nfp_app.infra.logs import FIELDS, REQUEST_ID_HEADER, request_id
from nfp_app.infra.settings import get_settings
from nfp_app.security.client_ip import client_ip

logger = logging.getLogger("nfp_app.request")
HEADER = "X-Request-ID"
# A proxy's request id is kept when it looks like one; anything else could forge log lines.
_INCOMING_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_MAX_PATH = 512
# Before accept, a refused websocket handshake is answered 403.
_REFUSED = 403


def _request_id(headers: Headers) -> str:
    # Only a trusted proxy's id: without one, any client could choose the id of its lines.
    incoming = headers.get(HEADER, "")
    if get_settings().trusted_proxy_hops and _INCOMING_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


def _client(scope: Scope, headers: Headers) -> str:
    peer = scope.get("client") or ("", 0)
    hops = get_settings().trusted_proxy_hops
    return client_ip(peer[0], headers.get("x-forwarded-for", ""), trusted_proxy_hops=hops)


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID) and logs one line per request or connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rid = _request_id(headers)
        token = request_id.set(rid)
        scope = _with_request_id(scope, rid)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            kind = message["type"]
            if kind in ("http.response.start", "websocket.http.response.start"):
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = rid
            elif kind == "websocket.accept":
                status = 101
                message = {**message, "headers": [*message.get("headers", []), _id_header(rid)]}
            elif kind == "websocket.close" and not status:
                status = _REFUSED
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            status = status or 500
            raise
        finally:
            _log(scope, headers, status, started)
            request_id.reset(token)


def _id_header(rid: str) -> tuple[bytes, bytes]:
    return REQUEST_ID_HEADER.encode(), rid.encode()


def _with_request_id(scope: Scope, rid: str) -> Scope:
    # The app sees our id, never a client's: Reflex gives a websocket's events these headers.
    name = REQUEST_ID_HEADER.encode()
    kept = [(key, value) for key, value in scope.get("headers", []) if key.lower() != name]
    return {**scope, "headers": [*kept, _id_header(rid)]}


def _log(scope: Scope, headers: Headers, status: int, started: float) -> None:
    path = scope.get("path", "")[:_MAX_PATH]
    method = scope.get("method", "GET") if scope["type"] == "http" else "WEBSOCKET"
    fields = {
        "method": method,
        "path": path,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "client_ip": _client(scope, headers),
    }
    # repr() of the path: a control character cannot break the text line either.
    logger.info("%s %r %s", method, path, status, extra={FIELDS: fields})
