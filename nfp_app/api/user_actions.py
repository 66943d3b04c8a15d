"""What administrators do to one account, each with a reason that goes into the audit log.

Every route calls services/admin_actions.py, which refuses to leave no active administrator
(409) and records the acting administrator and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status

from nfp_app.api import errors
from nfp_app.api.deps import FORBIDDEN, UNAUTHORIZED, Admin, request_ip
from nfp_app.api.schemas import REASON_INPUT_MAX, Error, Message, Reason, UserPublic, UserUpdate
from nfp_app.infra import db
from nfp_app.models import MAX_ROW_ID
from nfp_app.services import accounts, admin_actions, mfa_admin
from nfp_app.services.admin_actions import Acting

router = APIRouter(prefix="/users", tags=["users"])
T = TypeVar("T")

UserId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
REFUSALS: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    **FORBIDDEN,
    404: {"model": Error, "description": "No such user"},
    409: {"model": Error, "description": "Would leave no active administrator"},
}
NO_MFA: dict[int | str, dict[str, Any]] = {
    409: {
        "model": Error,
        "description": "The account does not have two-factor authentication on",
    }
}
NO_EMAIL: dict[int | str, dict[str, Any]] = {
    409: {
        "model": Error,
        "description": "Would leave no active administrator, or the account has no email address",
    }
}


def _acting(request: Request, admin: Admin) -> Acting:
    return Acting(actor=admin.user.username, ip=request_ip(request))


async def _act(
    action: Callable[..., T], *, reason_in: Literal["body", "query"], **kwargs: Any
) -> T:
    """Run an admin action; its refusals become 404, 409 and 422 answers."""
    try:
        return await db.run(action, **kwargs)
    except accounts.UserNotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such user.") from None
    except admin_actions.ReasonError as error:
        raise errors.validation_error("reason", error.message, reason_in) from None
    except accounts.AccountError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, error.message) from None


@router.patch("/{user_id}", responses=REFUSALS)
async def update_user(
    request: Request, user_id: UserId, change: UserUpdate, admin: Admin
) -> UserPublic:
    """Administrators: enable or disable an account, grant or withdraw administrator rights.

    Disabling or demoting ends the account's sessions. `reason` is optional here (older
    scripts send none); when given it is checked like the other actions' and audited.
    """
    user = await _act(
        admin_actions.update_status,
        reason_in="body",
        user_id=user_id,
        active=change.is_active,
        admin=change.is_admin,
        reason=change.reason,
        reason_required=False,
        acting=_acting(request, admin),
    )
    return UserPublic.from_user(user)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, responses=REFUSALS)
async def delete_user(
    request: Request,
    user_id: UserId,
    reason: Annotated[str, Query(max_length=REASON_INPUT_MAX, description=Reason.__doc__)],
    admin: Admin,
) -> Response:
    """Administrators: delete an account and its sessions for good; the reason is audited."""
    await _act(
        admin_actions.delete_user,
        reason_in="query",
        user_id=user_id,
        reason=reason,
        acting=_acting(request, admin),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{user_id}/revoke-sessions", responses=REFUSALS)
async def revoke_sessions(
    request: Request, user_id: UserId, body: Reason, admin: Admin
) -> UserPublic:
    """Administrators: end every session and token of the account; they must sign in again."""
    user = await _act(
        admin_actions.revoke_sessions,
        reason_in="body",
        user_id=user_id,
        reason=body.reason,
        acting=_acting(request, admin),
    )
    return UserPublic.from_user(user)


@router.post(
    "/{user_id}/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    responses={**REFUSALS, **NO_EMAIL},
)
async def send_password_reset(
    request: Request, user_id: UserId, body: Reason, admin: Admin
) -> Message:
    """Administrators: queue a password-reset email to the account (older links stop working).

    202: the mail is queued and sent in the background, like POST /password/forgot's.
    """
    user = await _act(
        admin_actions.send_password_reset,
        reason_in="body",
        user_id=user_id,
        reason=body.reason,
        acting=_acting(request, admin),
    )
    return Message(detail=f"A password-reset link is on its way to {user.username}'s address.")


@router.post("/{user_id}/mfa-reset", responses={**REFUSALS, **NO_MFA})
async def reset_mfa(request: Request, user_id: UserId, body: Reason, admin: Admin) -> UserPublic:
    """Administrators: turn off the account's two-factor authentication (a lost phone).

    Its authenticator secret, recovery codes and pending sign-in steps are removed; the
    reason is audited and the user gets an email. 409 when 2FA is not on.
    """
    user = await _act(
        mfa_admin.admin_reset,
        reason_in="body",
        user_id=user_id,
        reason=body.reason,
        acting=_acting(request, admin),
    )
    return UserPublic.from_user(user)
