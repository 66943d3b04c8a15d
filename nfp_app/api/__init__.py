"""The HTTP routes served next to the pages: the session cookie hand-off for now."""

from __future__ import annotations

from fastapi import FastAPI

from nfp_app.api import session_cookie


def create_api() -> FastAPI:
    """The FastAPI app that Reflex mounts its own routes under."""
    api = FastAPI(title="nfp_app", docs_url="/docs", openapi_url="/openapi.json")
    api.include_router(session_cookie.router)
    return api
