"""Two-factor set-up for API clients: start, confirm, new recovery codes, turn off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from nfp_app.api.deps import UNAUTHORIZED, Caller, request_ip
from nfp_app.api.schemas import Error, PasswordInput, is_storable
from nfp_app.infra import db, workers
from nfp_app.services import accounts, mfa_enrolment, my_account
from nfp_app.services.mfa_errors import (
    AlreadyEnabledError,
    CodeThrottledError,
    NoPendingEnrolmentError,
    NotEnabledError,
    WrongCodeError,
)

T = TypeVar("T")

router = APIRouter(prefix="/users/me/mfa", tags=["two-factor"])

CodeInput = Annotated[
    str, Field(min_length=1, max_length=64, description="A 6-digit code, or a recovery code")
]


class MfaPassword(BaseModel):
    """The account's password, confirmed again."""

    password: Annotated[PasswordInput, Field(min_length=1)]


class MfaCode(BaseModel):
    """The first code the authenticator app shows for the new secret."""

    code: CodeInput


class MfaDisable(BaseModel):
    """The password and a current code or an unused recovery code."""

    password: Annotated[PasswordInput, Field(min_length=1)]
    code: CodeInput


class TotpEnrolment(BaseModel):
    """A started set-up: add the secret to an authenticator app, then confirm a code."""

    secret: str = Field(description="The TOTP secret in base32 (RFC 6238: 30 s, 6 digits, SHA-1)")
    otpauth_uri: str = Field(description="The same secret as an otpauth:// URI, for a QR code")


class RecoveryCodes(BaseModel):
    """Ten single-use recovery codes, shown this once; only their hashes are kept."""

    recovery_codes: list[str]


def _error(description: str) -> dict[str, Any]:
    return {"model": Error, "description": description}


PASSWORD_REFUSED = {403: _error("The password is wrong")}
TOO_MANY: dict[int | str, dict[str, Any]] = {
    429: {
        **_error("Too many wrong passwords or codes for this account; retry later"),
        "headers": {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
        },
    }
}
WRONG_CODE = {400: _error("The code is wrong, or was used already")}


def _refusal(error: accounts.AccountError) -> HTTPException:
    """The HTTP answer to a refusal of the services."""
    if isinstance(error, my_account.TooManyAttemptsError | CodeThrottledError):
        retry = str(error.retry_after)
        return HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS, error.message, {"Retry-After": retry}
        )
    if isinstance(error, WrongCodeError):
        return HTTPException(status.HTTP_400_BAD_REQUEST, error.message)
    if isinstance(error, AlreadyEnabledError | NotEnabledError | NoPendingEnrolmentError):
        return HTTPException(status.HTTP_409_CONFLICT, error.message)
    # A wrong password, or none (ReauthenticationRequiredError).
    return HTTPException(status.HTTP_403_FORBIDDEN, error.message)


async def _call(
    service: Callable[..., T], request: Request, caller: Caller, *, hashes: bool, **fields: Any
) -> T:
    """Run a service for the caller off the event loop; its refusals become HTTP answers."""
    assert caller.user.id is not None
    try:
        return await db.run(
            service,
            # A password check is bcrypt work: it waits in the sign-in pool like a sign-in.
            executor=workers.sign_in_pool() if hashes else None,
            user_id=caller.user.id,
            ip=request_ip(request),
            user_agent=request.headers.get("user-agent", ""),
            **fields,
        )
    except accounts.AccountError as error:
        raise _refusal(error) from None


def _code(code: str) -> str:
    # Text the database cannot hold matches no code; "" is refused like any wrong code.
    return code.strip() if is_storable(code) else ""


@router.post(
    "/totp",
    summary="Start setting up an authenticator app",
    responses={**UNAUTHORIZED, **PASSWORD_REFUSED, **TOO_MANY, 409: _error("2FA is on already")},
)
async def start_totp(request: Request, body: MfaPassword, caller: Caller) -> TotpEnrolment:
    """A new TOTP secret for the caller, waiting for its first code at POST
    /users/me/mfa/totp/confirm; an earlier unfinished set-up is replaced. 2FA is not on yet."""
    started = await _call(
        mfa_enrolment.start_enrolment,
        request,
        caller,
        hashes=True,
        password=body.password,
    )
    return TotpEnrolment(secret=started.secret, otpauth_uri=started.otpauth_uri)


@router.post(
    "/totp/confirm",
    summary="Turn two-factor authentication on with a first code",
    responses={
        **UNAUTHORIZED,
        **WRONG_CODE,
        **TOO_MANY,
        409: _error("No set-up is waiting for a code (start one, or 2FA is on already)"),
    },
)
async def confirm_totp(request: Request, body: MfaCode, caller: Caller) -> RecoveryCodes:
    """The first code from the app turns 2FA on; the answer has the ten recovery codes, once.
    A security email goes to the account's address."""
    codes = await _call(
        mfa_enrolment.confirm_enrolment,
        request,
        caller,
        hashes=False,
        code=_code(body.code),
    )
    return RecoveryCodes(recovery_codes=codes)


@router.post(
    "/recovery-codes",
    summary="Replace the recovery codes",
    responses={**UNAUTHORIZED, **PASSWORD_REFUSED, **TOO_MANY, 409: _error("2FA is off")},
)
async def new_recovery_codes(request: Request, body: MfaPassword, caller: Caller) -> RecoveryCodes:
    """Ten new recovery codes, shown once; every code of the old set stops working."""
    codes = await _call(
        mfa_enrolment.regenerate_recovery_codes,
        request,
        caller,
        hashes=True,
        password=body.password,
    )
    return RecoveryCodes(recovery_codes=codes)


@router.delete(
    "/totp",
    summary="Turn two-factor authentication off",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={
        **UNAUTHORIZED,
        **PASSWORD_REFUSED,
        **WRONG_CODE,
        **TOO_MANY,
        409: _error("2FA is off"),
    },
)
async def disable_totp(request: Request, body: MfaDisable, caller: Caller) -> Response:
    """Turn 2FA off with the password and a current code or a recovery code; the secret and
    the recovery codes are deleted, and a security email goes to the account's address."""
    await _call(
        mfa_enrolment.disable,
        request,
        caller,
        hashes=True,
        password=body.password,
        code=_code(body.code),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
