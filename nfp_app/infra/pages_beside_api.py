"""ASGI middleware serving a page whose path a REST resource shares (/notes beside /notes/).

In production Reflex serves each prerendered page from its folder, `<page>/index.html`, and
answers `/notes` with a redirect to `/notes/`. The REST routes win over the pages, so that
redirect would land on the API (401 for a browser). The page is also built as `<page>.html`:
a GET of the exact page path is served from that file instead, and the browser stays at
`/notes`. `/notes/` and everything below it stay the API's.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from nfp_app import routes

# Pages whose path is also the prefix of a REST resource.
PAGES_BESIDE_API = frozenset({routes.NOTES})


def page_file_path(path: str, method: str) -> str | None:
    """The built page file to serve for this request, or None to leave it as it is."""
    if method in ("GET", "HEAD") and path in PAGES_BESIDE_API:
        return f"{path}.html"
    return None


class PagesBesideApiMiddleware:
    """Serves `/notes` (a page) from its built file rather than redirecting to `/notes/`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            served = page_file_path(scope["path"], scope["method"])
            if served is not None:
                scope = {**scope, "path": served, "raw_path": served.encode()}
        await self.app(scope, receive, send)
