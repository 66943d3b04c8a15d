"""Backend routes that set and clear the HttpOnly session cookie; JavaScript never sees it."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from nfp_app import db, sessions
from nfp_app.api.deps import request_ip
from nfp_app.security.client_ip import is_https
from nfp_app.security.redirects import safe_next
from nfp_app.settings import get_settings
from nfp_app.urls import frontend_url

router = APIRouter(prefix="/auth", include_in_schema=False)


def _redeem(code: str) -> sessions.RedeemedHandoff | None:
    with db.session_scope() as session:
        return sessions.redeem_handoff(session=session, code=code)


def _secure(request: Request) -> bool:
    # Behind a TLS-terminating proxy the app sees http; a trusted proxy says what the browser used.
    return is_https(
        request.url.scheme,
        request.headers.get("x-forwarded-proto", ""),
        trusted_proxy_hops=get_settings().trusted_proxy_hops,
    )


def _no_store(response: RedirectResponse) -> RedirectResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/session")
async def set_session_cookie(request: Request, code: str = "", next: str = "") -> RedirectResponse:
    """Trade the one-time code from the login page for the session cookie, then go on."""
    redeemed = await asyncio.to_thread(_redeem, code[:128]) if code else None
    if redeemed is None:
        return _no_store(RedirectResponse(frontend_url("/login"), status_code=303))
    response = RedirectResponse(frontend_url(safe_next(next)), status_code=303)
    response.set_cookie(
        get_settings().session_cookie_name,
        redeemed.secret,
        max_age=redeemed.max_age_seconds if redeemed.persistent else None,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return _no_store(response)


def _revoke_by_secret(secret: str, ip: str) -> None:
    with db.session_scope() as session:
        resumed = sessions.resume(session=session, secret=secret)
        if resumed is not None:
            sessions.end(session=session, session_id=resumed[0], ip=ip)


@router.get("/logout")
async def clear_session_cookie(request: Request) -> RedirectResponse:
    """End the cookie's session too, in case the page state had already lost track of it."""
    secret = request.cookies.get(get_settings().session_cookie_name, "")
    if secret:
        await asyncio.to_thread(_revoke_by_secret, secret[:128], request_ip(request))
    response = RedirectResponse(frontend_url("/login"), status_code=303)
    response.delete_cookie(
        get_settings().session_cookie_name,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return _no_store(response)
