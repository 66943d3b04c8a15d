"""The tutorial's user routes, plus administrator paging and account changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, status

from nfp_app.api import errors
from nfp_app.api.deps import FORBIDDEN, UNAUTHORIZED, Admin, Caller, request_ip
from nfp_app.api.schemas import Error, Item, UserCreate, UserPage, UserPublic, UserUpdate
from nfp_app.infra import db, workers
from nfp_app.infra.settings import get_settings
from nfp_app.security.policy import PolicyError
from nfp_app.services import account_changes, accounts, signup

router = APIRouter(prefix="/users", tags=["users"])

# Ids and offsets beyond PostgreSQL's integer range would fail in the database, not here.
MAX_ID = 2**31 - 1
MAX_PAGE_SIZE = 200


@router.post(
    "/",
    responses={
        409: {"model": Error, "description": "Username or email taken"},
        429: {
            "model": Error,
            "description": "Too many signups from this client, or from everyone; retry later",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        },
    },
)
async def create_user(request: Request, body: UserCreate) -> UserPublic:
    """Sign up: create an ordinary account (never an administrator)."""
    ip = request_ip(request)
    # Checked before the request waits for a hashing thread: a flood is refused cheaply.
    wait = await db.run(signup.admit, ip=ip)
    if wait:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            signup.throttled_message(wait),
            headers={"Retry-After": str(wait)},
        )
    try:
        user = await db.run(
            signup.create_account,
            executor=workers.hashing_pool(),
            username=body.username,
            password=body.password,
            email=body.email,
            ip=ip,
        )
    except PolicyError as error:
        raise errors.validation_error(error.field, error.message) from None
    except accounts.AccountError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, error.message) from None
    return UserPublic.from_user(user)


@router.get("/me/", responses=UNAUTHORIZED)
async def read_users_me(caller: Caller) -> UserPublic:
    """The signed-in user."""
    return UserPublic.from_user(caller.user)


@router.get("/me/items/", responses=UNAUTHORIZED)
async def read_own_items(caller: Caller) -> list[Item]:
    """The tutorial's example items of the signed-in user."""
    return [Item(item_id="Foo", owner=caller.user.username)]


@router.get("/", responses={**UNAUTHORIZED, **FORBIDDEN})
async def list_users(
    _admin: Admin,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE_SIZE)] = None,
) -> UserPage:
    """Administrators: one page of accounts in creation order."""
    size = limit or get_settings().users_page_size
    users, total = await db.run(accounts.list_users, offset=offset, limit=size)
    items = [UserPublic.from_user(user) for user in users]
    return UserPage(items=items, total=total, offset=offset, limit=size)


@router.patch(
    "/{user_id}",
    responses={
        **UNAUTHORIZED,
        **FORBIDDEN,
        404: {"model": Error, "description": "No such user"},
        409: {"model": Error, "description": "Would leave no active administrator"},
    },
)
async def update_user(
    request: Request,
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    change: UserUpdate,
    admin: Admin,
) -> UserPublic:
    """Administrators: enable or disable an account, grant or withdraw administrator rights."""
    try:
        user = await db.run(
            account_changes.update_status,
            user_id=user_id,
            active=change.is_active,
            admin=change.is_admin,
            actor=admin.user.username,
            ip=request_ip(request),
        )
    except accounts.UserNotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "No such user.") from None
    except accounts.AccountError as error:
        raise HTTPException(status.HTTP_409_CONFLICT, error.message) from None
    return UserPublic.from_user(user)
