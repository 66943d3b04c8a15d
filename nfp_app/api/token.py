"""POST /token (OAuth2 password flow) and POST /logout."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm

from nfp_app import db, signin, tokens_service
from nfp_app.api.deps import UNAUTHORIZED, Caller, unauthorized
from nfp_app.api.schemas import Token, is_storable
from nfp_app.tokens_service import TokenUser

router = APIRouter(tags=["auth"])


def _sign_in(username: str, password: str, user_agent: str, ip: str) -> str | None:
    with db.session_scope() as session:
        result = signin.sign_in(
            session=session,
            # Text the database or bcrypt cannot take (NUL, lone surrogates) matches no one;
            # "" instead still spends a verification, so the answer and its timing stay the same.
            username=username if is_storable(username) else "",
            password=password if is_storable(password) else "",
            persistent=False,
            user_agent=user_agent,
            ip=ip,
        )
        return None if result is None else result[1].access_token


@router.post("/token", responses=UNAUTHORIZED)
async def login_for_access_token(
    request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Token:
    """Trade a username and password for a bearer token bound to a new server-side session."""
    user_agent = request.headers.get("user-agent", "")
    ip = request.client.host if request.client else ""
    token = await asyncio.to_thread(_sign_in, form.username, form.password, user_agent, ip)
    if token is None:
        raise unauthorized("Incorrect username or password")
    return Token(access_token=token)


def _revoke(caller: TokenUser) -> None:
    with db.session_scope() as session:
        tokens_service.revoke_token_session(session=session, token_user=caller)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=UNAUTHORIZED)
async def logout(caller: Caller) -> Response:
    """End the session of this token; the token stops working at once."""
    await asyncio.to_thread(_revoke, caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
