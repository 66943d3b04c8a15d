"""POST /token (OAuth2 password flow) and POST /logout."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from nfp_app.api.deps import BEARER_CHALLENGE, UNAUTHORIZED, Caller, request_ip, unauthorized
from nfp_app.api.schemas import Error, MfaRequired, Token, is_storable
from nfp_app.api.session_cookie import cookie_names
from nfp_app.infra import db, workers
from nfp_app.security.cookies import read_cookie
from nfp_app.services import bearer, mfa_signin, signin

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


SIGN_IN_REFUSED: dict[int | str, dict[str, Any]] = {
    401: {
        "model": MfaRequired,
        "description": "Incorrect username or password (`detail` only); or the password was "
        "right and the account has two-factor authentication: `detail` is `mfa_required` and "
        "`mfa_token` goes to POST /token/mfa with a code",
    }
}
MFA_REFUSED: dict[int | str, dict[str, Any]] = {
    401: {
        "model": Error,
        "description": "The mfa_token is unknown, expired, used or void (sign in with the "
        "password again), or the code is wrong or was used already",
    }
}
INVALID_MFA_TOKEN = "Invalid or expired mfa_token: sign in with the password again."  # noqa: S105  (a message)
WRONG_CODE = "Incorrect code."


def _throttled(retry_after: int) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        f"Too many attempts, try again in {retry_after} s.",
        headers={"Retry-After": str(retry_after)},
    )


@router.post(
    "/token",
    summary="Sign in with a password",
    response_model=Token,
    responses={
        **SIGN_IN_REFUSED,
        **THROTTLED,
        403: {"model": Error, "description": "The email address is not confirmed yet"},
    },
)
async def login_for_access_token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Token | JSONResponse:
    """Trade a username and password for a bearer token bound to a new server-side session.

    An account with two-factor authentication gets no token here: a 401 `mfa_required` with an
    `mfa_token` for POST /token/mfa."""
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
        raise _throttled(result.retry_after)
    if isinstance(result, bearer.MfaRequired):
        body = MfaRequired(detail="mfa_required", mfa_token=result.mfa_token)
        return JSONResponse(
            body.model_dump(), status_code=status.HTTP_401_UNAUTHORIZED, headers=BEARER_CHALLENGE
        )
    if isinstance(result, signin.BadCredentials):
        raise unauthorized("Incorrect username or password")
    if isinstance(result, signin.Unverified):
        raise HTTPException(status.HTTP_403_FORBIDDEN, UNVERIFIED)
    return Token(access_token=result.access_token)


@router.post(
    "/token/mfa",
    summary="Finish a sign-in with a second factor",
    responses={**MFA_REFUSED, **THROTTLED},
)
async def login_second_factor(
    request: Request,
    mfa_token: Annotated[str, Form(max_length=512)],
    code: Annotated[str, Form(max_length=64, description="A 6-digit code or a recovery code")],
) -> Token:
    """Trade the `mfa_token` from POST /token and a code (from the authenticator app, or a
    recovery code) for a bearer token. The mfa_token lasts 5 minutes, works once, and is void
    after 5 wrong codes."""
    result = await db.run(
        bearer.complete_sign_in,
        mfa_token=mfa_token if is_storable(mfa_token) else "",
        code=code if is_storable(code) else "",
        user_agent=request.headers.get("user-agent", ""),
        ip=request_ip(request),
    )
    if isinstance(result, signin.Throttled):
        raise _throttled(result.retry_after)
    if isinstance(result, mfa_signin.ChallengeInvalid):
        raise unauthorized(INVALID_MFA_TOKEN)
    if isinstance(result, mfa_signin.WrongCode):
        raise unauthorized(WRONG_CODE if result.attempts_left else INVALID_MFA_TOKEN)
    return Token(access_token=result.access_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=UNAUTHORIZED)
async def logout(request: Request, caller: Caller) -> Response:
    """End the session of this token; the token stops working at once."""
    await db.run(bearer.revoke_token_session, token_user=caller, ip=request_ip(request))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
