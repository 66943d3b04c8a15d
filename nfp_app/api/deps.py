"""The bearer-token dependencies: who is calling, and are they an administrator."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from nfp_app.api.schemas import Error
from nfp_app.infra import db
from nfp_app.infra.settings import get_settings
from nfp_app.security.client_ip import client_ip
from nfp_app.services import bearer, mfa_policy
from nfp_app.services.bearer import TokenUser

# Our tokens are about 250 characters; anything far longer is not one of them.
MAX_TOKEN_LENGTH = 4096
BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)

UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Error, "description": "Missing, invalid, expired or revoked token"}
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {
        "model": Error,
        "description": "Administrator rights required; or `mfa_enrolment_required`: "
        "MFA_REQUIRED_FOR_ADMINS is on and this administrator has not turned 2FA on yet",
    }
}


def request_ip(request: Request) -> str:
    """The caller's IP: the peer, or X-Forwarded-For through TRUSTED_PROXY_HOPS proxies."""
    peer = request.client.host if request.client else ""
    return client_ip(
        peer,
        request.headers.get("x-forwarded-for", ""),
        trusted_proxy_hops=get_settings().trusted_proxy_hops,
    )


def unauthorized(detail: str = "Could not validate credentials") -> HTTPException:
    """The 401 every token problem gets, with the Bearer challenge."""
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers=BEARER_CHALLENGE)


BearerToken = Annotated[str | None, Depends(oauth2_scheme)]


def token_text(token: str | None) -> str:
    """The bearer token as sent, or 401 when there is none or it is too long to be ours."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise unauthorized()
    return token


async def current_token_user(token: BearerToken) -> TokenUser:
    """The live user and session behind the bearer token, or 401."""
    token = token_text(token)
    found = await db.run(bearer.check_token, token=token)
    if found is None:
        raise unauthorized()
    return found


async def current_admin(caller: Annotated[TokenUser, Depends(current_token_user)]) -> TokenUser:
    """The caller, when they are an active administrator (with 2FA on, when the policy asks
    for it); else 403."""
    if not caller.user.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Administrator rights required.")
    if get_settings().mfa_required_for_admins:
        assert caller.user.id is not None
        if await db.run(mfa_policy.enrolment_due_by_id, user_id=caller.user.id):
            raise HTTPException(status.HTTP_403_FORBIDDEN, mfa_policy.ENROLMENT_REQUIRED)
    return caller


Caller = Annotated[TokenUser, Depends(current_token_user)]
Admin = Annotated[TokenUser, Depends(current_admin)]
