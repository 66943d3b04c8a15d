"""The tutorial's user routes, plus the administrators' user directory.

What administrators do to one account (PATCH, DELETE, actions) is in user_actions.py.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError

from nfp_app.api import errors
from nfp_app.api.deps import (
    FORBIDDEN,
    UNAUTHORIZED,
    Admin,
    BearerToken,
    Caller,
    request_ip,
    token_text,
    unauthorized,
)
from nfp_app.api.schemas import (
    Error,
    Item,
    Me,
    UserCreate,
    UserListItem,
    UserPage,
    UserPublic,
    is_storable,
)
from nfp_app.infra import db, workers
from nfp_app.infra.settings import get_settings
from nfp_app.models import MAX_ROW_ID
from nfp_app.security.policy import PolicyError
from nfp_app.services import accounts, bearer, signup, user_cursor, user_directory
from nfp_app.services.user_directory_types import MAX_QUERY_LENGTH, SortKey, UserQuery, UserRow

router = APIRouter(prefix="/users", tags=["users"])

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
async def read_users_me(token: BearerToken) -> Me:
    """The signed-in user, and whether they sign in with two-factor authentication."""
    # The tutorial's hot path: the token check and the 2FA flag share one transaction.
    found = await db.run(bearer.whoami, token=token_text(token))
    if found is None:
        raise unauthorized()
    caller, mfa_enabled = found
    return Me(**UserPublic.from_user(caller.user).model_dump(), mfa_enabled=mfa_enabled)


@router.get("/me/items/", responses=UNAUTHORIZED)
async def read_own_items(caller: Caller) -> list[Item]:
    """The tutorial's example items of the signed-in user."""
    return [Item(item_id="Foo", owner=caller.user.username)]


def _query_error(field: str, message: str) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "value_error", "loc": ("query", field), "msg": message}]
    )


def _item(row: UserRow) -> UserListItem:
    return UserListItem(
        id=row.id,
        username=row.username,
        email=row.email,
        is_active=row.is_active,
        is_admin=row.is_admin,
        is_verified=row.is_verified,
        created_at=row.created_at,
        last_login_at=row.last_sign_in_at,
        active_sessions=row.active_sessions,
    )


@router.get("/", responses={**UNAUTHORIZED, **FORBIDDEN})
async def list_users(
    _admin: Admin,
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH)] = "",
    active: bool | None = None,
    admin: bool | None = None,
    verified: bool | None = None,
    sort: SortKey = "created",
    cursor: Annotated[str | None, Query(max_length=user_cursor.MAX_CURSOR_LENGTH)] = None,
    offset: Annotated[int | None, Query(ge=0, le=MAX_ROW_ID)] = None,
    limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE_SIZE)] = None,
) -> UserPage:
    """Administrators: one page of accounts; follow `next_cursor` for the next one."""
    if cursor is not None and offset is not None:
        raise _query_error("cursor", "Pass either cursor or offset, not both.")
    if not is_storable(q):
        raise _query_error("q", "must be valid Unicode text without NUL characters")
    size = limit or get_settings().users_page_size
    query = UserQuery(prefix=q, active=active, admin=admin, verified=verified, sort=sort)
    try:
        page = await db.run(
            user_directory.list_users,
            query=query,
            limit=size,
            cursor=cursor,
            offset=offset or 0,
            # The first page (or an offset page) counts; a cursor page's client has the count
            # already, and at a million rows counting would cost more than the page itself.
            count=cursor is None,
        )
    except user_cursor.CursorError as error:
        raise _query_error("cursor", str(error)) from None
    items = [_item(row) for row in page.rows]
    return UserPage(
        items=items,
        total=page.total,
        offset=offset or 0,
        limit=size,
        next_cursor=page.next_cursor,
    )
