"""The signed-in caller's own account over REST: password, sessions, deletion."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, Response, status
from pydantic import BaseModel

from nfp_app.api import errors
from nfp_app.api.deps import UNAUTHORIZED, Caller, request_ip
from nfp_app.api.schemas import Error, Message, PasswordInput
from nfp_app.infra import db, workers
from nfp_app.models import MAX_ROW_ID
from nfp_app.security.policy import PolicyError
from nfp_app.services import accounts, my_account, my_sessions

router = APIRouter(prefix="/users/me", tags=["account"])
REFUSED: dict[int | str, dict[str, object]] = {
    403: {"model": Error, "description": "The current password is wrong, or too many attempts"}
}


class PasswordChange(BaseModel):
    """The current password and the new one."""

    current_password: PasswordInput
    new_password: PasswordInput


class AccountDeletion(BaseModel):
    """The password, and the username typed again."""

    password: PasswordInput
    confirmation: str


class SessionOut(BaseModel):
    """One live session of the caller."""

    id: int
    device: str
    ip: str
    created_at: dt.datetime
    last_seen_at: dt.datetime
    current: bool


@router.post("/password", responses={**UNAUTHORIZED, **REFUSED})
async def change_password(request: Request, body: PasswordChange, caller: Caller) -> Message:
    """A new password; every other session and every token issued before it stop working."""
    assert caller.user.id is not None
    try:
        await db.run(
            my_account.change_password,
            executor=workers.hashing_pool(),
            user_id=caller.user.id,
            current=body.current_password,
            new=body.new_password,
            keep_session_id=None,
            ip=request_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except PolicyError as error:
        raise errors.validation_error(error.field, error.message) from None
    except (my_account.WrongPasswordError, my_account.TooManyAttemptsError) as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, error.message) from None
    return Message(detail="Password changed. Sign in again to get a new token.")


@router.get("/sessions", responses=UNAUTHORIZED)
async def list_sessions(caller: Caller) -> list[SessionOut]:
    """The caller's live sessions; `current` marks the one this token belongs to."""
    assert caller.user.id is not None
    views = await db.run(
        my_sessions.sessions_of, user_id=caller.user.id, current_session_id=caller.session_id
    )
    return [SessionOut(**dataclasses.asdict(view)) for view in views]


@router.delete(
    "/sessions/{session_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**UNAUTHORIZED, 404: {"model": Error, "description": "No such live session"}},
)
async def revoke_session(
    request: Request, session_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)], caller: Caller
) -> Response:
    """End one of the caller's own sessions."""
    assert caller.user.id is not None
    ended = await db.run(
        my_sessions.revoke_session,
        user_id=caller.user.id,
        session_id=session_id,
        ip=request_ip(request),
    )
    if not ended:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such live session.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**UNAUTHORIZED, **REFUSED, 409: {"model": Error, "description": "Last admin"}},
)
async def delete_me(request: Request, body: AccountDeletion, caller: Caller) -> Response:
    """Delete the caller's account, with the password and the username typed again."""
    assert caller.user.id is not None
    try:
        await db.run(
            my_account.delete_own_account,
            executor=workers.sign_in_pool(),
            user_id=caller.user.id,
            password=body.password,
            confirmation=body.confirmation,
            ip=request_ip(request),
            user_agent=request.headers.get("user-agent", ""),
        )
    except my_account.ConfirmationError as error:
        raise errors.validation_error("confirmation", error.message) from None
    except (my_account.WrongPasswordError, my_account.TooManyAttemptsError) as error:
        raise HTTPException(status.HTTP_403_FORBIDDEN, error.message) from None
    except accounts.AccountError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, error.message) from None
    return Response(status_code=status.HTTP_204_NO_CONTENT)
