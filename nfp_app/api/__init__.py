"""The HTTP routes served next to the pages: REST API and the session cookie hand-off."""

from __future__ import annotations

from fastapi import FastAPI

from nfp_app.api import (
    audit_events,
    errors,
    health,
    me,
    mfa,
    passkey_auth,
    passkeys,
    password,
    session_cookie,
    token,
    user_actions,
    users,
)
from nfp_app.infra.settings import get_settings


def create_api() -> FastAPI:
    """The FastAPI app that Reflex mounts its own routes under."""
    docs = get_settings().docs_enabled
    api = FastAPI(
        title="nfp_app",
        summary="Accounts with the OAuth2 password flow, served next to the Reflex pages.",
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    errors.install(api)
    api.include_router(health.router)
    api.include_router(token.router)
    api.include_router(me.router)
    api.include_router(mfa.router)
    api.include_router(passkey_auth.router)
    api.include_router(passkeys.mine)
    api.include_router(users.router)
    api.include_router(audit_events.router)
    api.include_router(user_actions.router)
    api.include_router(password.router)
    api.include_router(session_cookie.router)
    api.include_router(session_cookie.well_known)
    api.include_router(passkey_auth.well_known)
    return api
