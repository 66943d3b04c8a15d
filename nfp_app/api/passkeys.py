"""The caller's own passkeys over REST: list, add, rename, remove."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request, Response, status

from nfp_app.api.deps import UNAUTHORIZED, Caller, request_ip
from nfp_app.api.passkey_schemas import (
    CeremonyOptions,
    PasskeyRename,
    RegistrationStart,
    RegistrationVerify,
)
from nfp_app.api.schemas import Error
from nfp_app.infra import db, workers
from nfp_app.models import MAX_ROW_ID, utcnow
from nfp_app.services import accounts, my_account, passkey_ceremonies, passkey_manage
from nfp_app.services.passkey_manage import PasskeyView
from nfp_app.services.passkey_results import Refused

mine = APIRouter(prefix="/users/me/passkeys", tags=["passkeys"])

PasskeyId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="The passkey's `id`")]


def _error(description: str) -> dict[str, Any]:
    return {"model": Error, "description": description}


def _agent(request: Request) -> str:
    return request.headers.get("user-agent", "")


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
