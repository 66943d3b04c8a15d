"""Forgot and reset password over REST: POST /password/forgot and POST /password/reset."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from nfp_app.api import errors
from nfp_app.api.deps import request_ip
from nfp_app.api.schemas import Error, Message, PasswordForgot, PasswordReset
from nfp_app.infra import db, workers
from nfp_app.security.policy import PolicyError
from nfp_app.services import password_reset

router = APIRouter(prefix="/password", tags=["password"])

# The one answer to every reset request, whether or not the account exists.
REQUESTED = (
    "If an account with that name or address exists and has an email, a link to choose a new "
    "password is on its way."
)


@router.post("/forgot", status_code=status.HTTP_202_ACCEPTED)
async def forgot_password(request: Request, body: PasswordForgot) -> Message:
    """Ask for a reset link; the same 202 whether the account exists or the request was
    throttled (then nothing is sent)."""
    await db.run(password_reset.request_reset, identifier=body.identifier, ip=request_ip(request))
    return Message(detail=REQUESTED)


@router.post(
    "/reset",
    responses={400: {"model": Error, "description": "The link is used, expired or unknown"}},
)
async def reset_password(request: Request, body: PasswordReset) -> Message:
    """Set a new password with the token from the link; every session and token ends."""
    try:
        await db.run(
            password_reset.reset_password,
            executor=workers.hashing_pool(),
            token=body.token,
            password=body.password,
            ip=request_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except password_reset.InvalidLinkError as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, error.message) from None
    except PolicyError as error:
        raise errors.validation_error(error.field, error.message) from None
    return Message(detail="Password changed. Sign in with the new one.")
