"""Backend routes that set and clear the HttpOnly cookies; JavaScript never sees them.

Each route that changes who is signed in resists cross-site use: `/auth/session` redeems only
a code bound to this browser and refuses cross-site requests; `/auth/logout` is a POST that
must come from the app's own origin.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import JSONResponse, RedirectResponse

from nfp_app import routes
from nfp_app.api.deps import request_ip
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.infra.urls import app_origins, frontend_url
from nfp_app.models import utcnow
from nfp_app.security import device
from nfp_app.security.client_ip import is_https
from nfp_app.security.cookies import CookieNames, read_cookie
from nfp_app.security.origins import is_cross_site, is_own_origin
from nfp_app.security.redirects import safe_next
from nfp_app.security.tokens import MAX_SECRET_TEXT
from nfp_app.services import handoff, session_ends

router = APIRouter(prefix=routes.AUTH_PREFIX, include_in_schema=False)


def is_secure(request: Request) -> bool:
    """Whether the browser used https; behind a TLS proxy, as the trusted proxy says."""
    return is_https(
        request.url.scheme,
        request.headers.get("x-forwarded-proto", ""),
        trusted_proxy_hops=get_settings().trusted_proxy_hops,
    )


def cookie_names(request: Request) -> CookieNames:
    """This deployment's cookie names, with the __Host- prefix over https."""
    return CookieNames.for_base(get_settings().session_cookie_name, secure=is_secure(request))


def _set_cookie(
    response: Response, request: Request, name: str, value: str, max_age: int | None
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
    )


def _redirect(path: str) -> RedirectResponse:
    return RedirectResponse(frontend_url(path), status_code=status.HTTP_303_SEE_OTHER)


@router.get(routes.AUTH_BIND.removeprefix(routes.AUTH_PREFIX))
async def bind_browser(next: str = "") -> RedirectResponse:
    """A round trip through the backend, which gives the browser its binding cookie.

    The security headers middleware sets that cookie on any response to a browser that lacks
    it. Pages served by the backend (production) need no detour; the development server's pages
    come from another port and send the browser here once.
    """
    return _redirect(safe_next(next or routes.LOGIN))


@router.get(routes.AUTH_SESSION.removeprefix(routes.AUTH_PREFIX))
async def set_session_cookie(request: Request, code: str = "", next: str = "") -> RedirectResponse:
    """Trade the one-time code from the login page for the session cookie, then go on."""
    names = cookie_names(request)
    if not code:
        return _redirect(routes.LOGIN)
    result = await db.run(
        handoff.redeem_handoff,
        code=code[:MAX_SECRET_TEXT],
        binding=read_cookie(request.headers.get("cookie", ""), names.binding),
        cross_site=is_cross_site(request.headers.get("sec-fetch-site", "")),
        ip=request_ip(request),
    )
    if isinstance(result, handoff.RefusedHandoff):
        return _redirect(routes.LOGIN)
    response = _redirect(safe_next(next))
    max_age = result.max_age_seconds if result.persistent else None
    _set_cookie(response, request, names.session, result.secret, max_age)
    # Proof that this browser signed in to the account: its own throttling allowance.
    token = device.issue_device_token(
        account_key=result.account_key, secret_key=get_settings().secret_key, now=utcnow()
    )
    _set_cookie(response, request, names.device, token, int(device.LIFETIME.total_seconds()))
    return response


@router.post(routes.AUTH_LOGOUT.removeprefix(routes.AUTH_PREFIX), response_model=None)
async def clear_session_cookie(request: Request) -> Response:
    """End the cookie's session and clear the cookie; only the app's own pages may ask."""
    own = is_own_origin(
        request.headers.get("origin", ""),
        host=request.headers.get("host", ""),
        allowed_origins=app_origins(),
    )
    if not own:
        return JSONResponse(
            {"detail": "Sign-out must come from the app's own pages."},
            status_code=status.HTTP_403_FORBIDDEN,
        )
    names = cookie_names(request)
    secret = read_cookie(request.headers.get("cookie", ""), names.session)
    if secret:
        form = await request.form()
        tab = form.get("tab")
        await db.run(
            session_ends.end_by_secret,
            secret=secret,
            ip=request_ip(request),
            tab=tab if isinstance(tab, str) else "",
        )
    response = _redirect(routes.LOGIN)
    response.delete_cookie(
        names.session, path="/", httponly=True, samesite="lax", secure=is_secure(request)
    )
    return response


well_known = APIRouter(include_in_schema=False)


@well_known.get(routes.WELL_KNOWN_CHANGE_PASSWORD)
async def change_password_page() -> RedirectResponse:
    """Where password managers look for the page that changes a password."""
    return _redirect(routes.ACCOUNT)
