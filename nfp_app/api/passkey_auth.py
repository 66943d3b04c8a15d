"""Passkey sign-in over REST (a bearer token, as POST /token gives), and the well-known URL
that points password managers at the passkey page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status

from nfp_app.api.deps import request_ip, unauthorized
from nfp_app.api.passkey_schemas import AuthenticationVerify, CeremonyOptions, PasskeyEndpoints
from nfp_app.api.schemas import Error, Token
from nfp_app.api.token import UNVERIFIED
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.models import utcnow
from nfp_app.routes import ACCOUNT
from nfp_app.services import passkey_signin as signin_service
from nfp_app.services.passkey_results import Refused
from nfp_app.services.signin_results import Unverified

router = APIRouter(prefix="/passkeys", tags=["passkeys"])
well_known = APIRouter(tags=["passkeys"])

WELL_KNOWN_PASSKEY_ENDPOINTS = "/.well-known/passkey-endpoints"


def _error(description: str) -> dict[str, Any]:
    return {"model": Error, "description": description}


@router.post("/authentication/options", summary="Start a passkey sign-in")
async def authentication_options() -> CeremonyOptions:
    """Options for navigator.credentials.get() with no username: any discoverable passkey of
    this site, user verification required. Send the assertion and `handle` to
    POST /passkeys/authentication/verify within 5 minutes."""
    ceremony = await db.run(signin_service.begin_signin, now=utcnow())
    return CeremonyOptions(handle=ceremony.handle, options=ceremony.options)


@router.post(
    "/authentication/verify",
    summary="Sign in with a passkey",
    responses={
        401: _error(
            "The assertion is refused: unknown, used or expired handle, another origin or "
            "RP ID, a bad signature, no user verification, a counter that went backwards, "
            "an unknown passkey or a disabled account"
        ),
        403: _error("The email address is not confirmed yet"),
    },
)
async def authentication_verify(request: Request, body: AuthenticationVerify) -> Token:
    """Trade a passkey assertion for a bearer token, as POST /token does for a password.
    A passkey with user verification is both factors: two-factor accounts get a token too."""
    result = await db.run(
        signin_service.sign_in_for_token,
        handle=body.handle,
        credential=body.credential,
        ip=request_ip(request),
        user_agent=request.headers.get("user-agent", ""),
    )
    if isinstance(result, Refused):
        raise unauthorized(result.message)
    if isinstance(result, Unverified):
        raise HTTPException(status.HTTP_403_FORBIDDEN, UNVERIFIED)
    return Token(access_token=result.access_token)


@well_known.get(WELL_KNOWN_PASSKEY_ENDPOINTS, summary="Passkey endpoints for password managers")
async def passkey_endpoints() -> PasskeyEndpoints:
    """Where a password manager sends people to create (`enroll`) or manage passkeys of this
    site (W3C "A Well-Known URL for Passkey Endpoints")."""
    page = f"{get_settings().app_url}{ACCOUNT}#passkeys"
    return PasskeyEndpoints(enroll=page, manage=page)
