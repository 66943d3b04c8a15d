"""Passkeys over REST: sign in with one, and manage the caller's own; the well-known URL."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response, status

from nfp_app.api.deps import UNAUTHORIZED, Caller, request_ip, unauthorized
from nfp_app.api.passkey_schemas import (
    AuthenticationVerify,
    CeremonyOptions,
    PasskeyEndpoints,
    PasskeyRename,
    RegistrationStart,
    RegistrationVerify,
)
from nfp_app.api.schemas import Error, Token
from nfp_app.api.token import UNVERIFIED
from nfp_app.infra import db, workers
from nfp_app.infra.settings import get_settings
from nfp_app.models import MAX_ROW_ID, utcnow
from nfp_app.routes import ACCOUNT
from nfp_app.services import accounts, my_account, passkey_ceremonies, passkey_manage
from nfp_app.services import passkey_signin as signin_service
from nfp_app.services.passkey_manage import PasskeyView
from nfp_app.services.passkey_results import Refused
from nfp_app.services.signin_results import Unverified

router = APIRouter(prefix="/passkeys", tags=["passkeys"])
mine = APIRouter(prefix="/users/me/passkeys", tags=["passkeys"])
well_known = APIRouter(tags=["passkeys"])

PasskeyId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="The passkey's `id`")]
WELL_KNOWN_PASSKEY_ENDPOINTS = "/.well-known/passkey-endpoints"


def _error(description: str) -> dict[str, Any]:
    return {"model": Error, "description": description}


def _agent(request: Request) -> str:
    return request.headers.get("user-agent", "")


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
        user_agent=_agent(request),
    )
    if isinstance(result, Refused):
        raise unauthorized(result.message)
    if isinstance(result, Unverified):
        raise HTTPException(status.HTTP_403_FORBIDDEN, UNVERIFIED)
    return Token(access_token=result.access_token)


@mine.get("", summary="List your passkeys", responses=UNAUTHORIZED)
async def list_passkeys(caller: Caller) -> list[PasskeyView]:
    """The caller's passkeys, newest first."""
    return await db.run(passkey_manage.list_passkeys, user=caller.user)


@mine.post(
    "/registration/options",
    summary="Start adding a passkey",
    responses={
        **UNAUTHORIZED,
        403: _error("The password is missing or wrong (accounts that have one)"),
        429: {
            **_error("Too many wrong passwords for this account; retry later"),
            "headers": {
                "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
            },
        },
    },
)
async def registration_options(
    request: Request, body: RegistrationStart, caller: Caller
) -> CeremonyOptions:
    """Options for navigator.credentials.create(): a discoverable credential with user
    verification and attestation "none", excluding the caller's passkeys. An account with a
    password confirms it first (checked and throttled like a sign-in)."""
    try:
        ceremony = await db.run(
            passkey_ceremonies.begin_registration_after_password,
            executor=workers.sign_in_pool(),
            user=caller.user,
            password=body.password or "",
            now=utcnow(),
            ip=request_ip(request),
            user_agent=_agent(request),
        )
    except my_account.TooManyAttemptsError as error:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            error.message,
            headers={"Retry-After": str(error.retry_after)},
        ) from None
    except accounts.AccountError as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, error.message) from None
    return CeremonyOptions(handle=ceremony.handle, options=ceremony.options)


@mine.post(
    "/registration/verify",
    summary="Finish adding a passkey",
    status_code=status.HTTP_201_CREATED,
    responses={
        **UNAUTHORIZED,
        400: _error(
            "Refused: unknown, used or expired handle, another origin or RP ID, no user "
            "verification, a passkey registered already, or a bad name"
        ),
    },
)
async def registration_verify(
    request: Request, body: RegistrationVerify, caller: Caller
) -> PasskeyView:
    """Store the new passkey; the account's address gets a security email."""
    result = await db.run(
        passkey_ceremonies.finish_registration,
        user=caller.user,
        handle=body.handle,
        credential=body.credential,
        name=body.name,
        now=utcnow(),
        ip=request_ip(request),
        user_agent=_agent(request),
    )
    if isinstance(result, Refused):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, result.message)
    return result


NOT_FOUND = {404: _error("No passkey of yours has this id")}


@mine.patch(
    "/{passkey_id}",
    summary="Rename a passkey",
    responses={**UNAUTHORIZED, **NOT_FOUND, 400: _error("The name is not allowed")},
)
async def rename_passkey(
    request: Request, passkey_id: PasskeyId, body: PasskeyRename, caller: Caller
) -> PasskeyView:
    """Give one of your passkeys a new name; a security email tells the owner."""
    result = await db.run(
        passkey_manage.rename_passkey,
        user=caller.user,
        passkey_id=passkey_id,
        name=body.name,
        now=utcnow(),
        ip=request_ip(request),
        user_agent=_agent(request),
    )
    if isinstance(result, Refused):
        found = result.message != passkey_manage.NOT_FOUND
        code = status.HTTP_400_BAD_REQUEST if found else status.HTTP_404_NOT_FOUND
        raise HTTPException(code, result.message)
    return result


@mine.delete(
    "/{passkey_id}",
    summary="Remove a passkey",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        **UNAUTHORIZED,
        **NOT_FOUND,
        409: _error("It is the last passkey of an account without a password"),
    },
)
async def remove_passkey(request: Request, passkey_id: PasskeyId, caller: Caller) -> Response:
    """Remove one of your passkeys: it no longer signs in. The last passkey of an account
    without a password stays (409): set a password or add another passkey first."""
    result = await db.run(
        passkey_manage.remove_passkey,
        user=caller.user,
        passkey_id=passkey_id,
        now=utcnow(),
        ip=request_ip(request),
        user_agent=_agent(request),
    )
    if isinstance(result, Refused):
        last = result.message == passkey_manage.LAST_PASSKEY
        code = status.HTTP_409_CONFLICT if last else status.HTTP_404_NOT_FOUND
        raise HTTPException(code, result.message)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@well_known.get(WELL_KNOWN_PASSKEY_ENDPOINTS, summary="Passkey endpoints for password managers")
async def passkey_endpoints() -> PasskeyEndpoints:
    """Where a password manager sends people to create (`enroll`) or manage passkeys of this
    site (W3C "A Well-Known URL for Passkey Endpoints")."""
    page = f"{get_settings().app_url}{ACCOUNT}#passkeys"
    return PasskeyEndpoints(enroll=page, manage=page)
