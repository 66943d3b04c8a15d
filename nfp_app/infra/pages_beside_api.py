"""ASGI middleware: a page and a REST resource on one path (/notes/), told apart by the request.

In production Reflex serves each prerendered page from its folder: `/notes` redirects to
`/notes/`, and the page's links and router work on that path. The REST routes win over the
pages, so `/notes/` would always be the API's. A browser loading the page asks for HTML and
sends no bearer token; such a GET is served the page (Reflex also builds it as `notes.html`).
Every other request (a token, or no HTML asked for: curl, httpx, fetch) reaches the API.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from nfp_app import routes

# Pages whose path is also the prefix of a REST resource.
PAGES_BESIDE_API = frozenset({routes.NOTES})


def page_file_path(path: str, method: str, headers: Headers) -> str | None:
    """The built page file to serve for this request, or None to leave it as it is."""
    page = path.removesuffix("/")
    if (
        path.endswith("/")
        and page in PAGES_BESIDE_API
        and method in ("GET", "HEAD")
        and "authorization" not in headers
        and "text/html" in headers.get("accept", "")
    ):
        return f"{page}.html"
    return None


class PagesBesideApiMiddleware:
    """Serves the page at `/notes/` to browsers, and the REST resource to everyone else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            served = page_file_path(scope["path"], scope["method"], Headers(scope=scope))
            if served is not None:
                scope = {**scope, "path": served, "raw_path": served.encode()}
        await self.app(scope, receive, send)
