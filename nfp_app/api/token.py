"""POST /token (OAuth2 password flow) and POST /logout."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from nfp_app.api.deps import UNAUTHORIZED, Caller, request_ip, unauthorized
from nfp_app.api.schemas import Error, Token, is_storable
from nfp_app.api.session_cookie import cookie_names
from nfp_app.infra import db, workers
from nfp_app.security.cookies import read_cookie
from nfp_app.services import bearer, signin

router = APIRouter(tags=["auth"])

UNVERIFIED = "Confirm your email address first: the link is in your inbox."

THROTTLED: dict[int | str, dict[str, Any]] = {
    429: {
        "model": Error,
        "description": "Too many attempts for this account, client or IP; retry later",
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before the next attempt",
                "schema": {"type": "integer"},
            }
        },
    }
}


@router.post(
    "/token",
    responses={
        **UNAUTHORIZED,
        **THROTTLED,
        403: {"model": Error, "description": "The email address is not confirmed yet"},
    },
)
async def login_for_access_token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Token:
    """Trade a username and password for a bearer token bound to a new server-side session."""
    result = await db.run(
        bearer.sign_in,
        executor=workers.sign_in_pool(),
        # Text the database or bcrypt cannot take (NUL, lone surrogates) matches no one; ""
        # instead still spends a verification, so the answer and its timing stay the same.
        username=form.username if is_storable(form.username) else "",
        password=form.password if is_storable(form.password) else "",
        user_agent=request.headers.get("user-agent", ""),
        ip=request_ip(request),
        # A browser's device cookie keeps its own allowance here too (see signin_limits).
        device_token=read_cookie(request.headers.get("cookie", ""), cookie_names(request).device),
    )
    if isinstance(result, signin.Throttled):
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"Too many attempts, try again in {result.retry_after} s.",
            headers={"Retry-After": str(result.retry_after)},
        )
    if isinstance(result, signin.BadCredentials):
        raise unauthorized("Incorrect username or password")
    if isinstance(result, signin.Unverified):
        raise HTTPException(status.HTTP_403_FORBIDDEN, UNVERIFIED)
    return Token(access_token=result.access_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=UNAUTHORIZED)
async def logout(request: Request, caller: Caller) -> Response:
    """End the session of this token; the token stops working at once."""
    await db.run(bearer.revoke_token_session, token_user=caller, ip=request_ip(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
