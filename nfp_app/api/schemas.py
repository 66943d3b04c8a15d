"""Request and response bodies of the REST API; the OpenAPI schema is generated from these."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from nfp_app.models import UserPublic
from nfp_app.security import policy
from nfp_app.services.admin_actions import REASON_MAX_LENGTH

__all__ = [
    "Error",
    "Item",
    "Me",
    "Message",
    "MfaRequired",
    "PasswordForgot",
    "PasswordReset",
    "Reason",
    "Token",
    "UserCreate",
    "UserListItem",
    "UserPage",
    "UserPublic",
    "UserUpdate",
]


def is_storable(value: str) -> bool:
    """Whether the database can hold this text: no NUL, and no lone surrogates from JSON."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _storable(value: str) -> str:
    if not is_storable(value):
        raise ValueError("must be valid Unicode text without NUL characters")
    return value


_Storable = AfterValidator(_storable)
UsernameInput = Annotated[str, Field(max_length=policy.USERNAME_INPUT_MAX), _Storable]
PasswordInput = Annotated[str, Field(max_length=policy.PASSWORD_MAX_LENGTH), _Storable]
EmailInput = Annotated[str, Field(max_length=policy.EMAIL_INPUT_MAX), _Storable]
# Far above what admin_actions accepts: longer reasons get its clear message, still a 422.
REASON_INPUT_MAX = 1000
ReasonInput = Annotated[
    str,
    Field(
        max_length=REASON_INPUT_MAX,
        description=f"Why, in one line of at most {REASON_MAX_LENGTH} characters: it goes "
        "into the audit log with the acting administrator's name.",
    ),
]


class UserCreate(BaseModel):
    """A signup; unknown and privileged fields (an id, admin rights, a hash) are ignored."""

    model_config = ConfigDict(extra="ignore")

    username: UsernameInput
    password: PasswordInput
    email: EmailInput | None = None


class UserUpdate(BaseModel):
    """An administrator's change to an account; fields left out stay as they are."""

    model_config = ConfigDict(extra="ignore")

    is_active: bool | None = None
    is_admin: bool | None = None
    # Optional here so existing scripts keep working; stored in the audit entry when given.
    reason: ReasonInput | None = None


class Reason(BaseModel):
    """Why an administrator acts on an account; it goes into the audit log."""

    reason: ReasonInput


class Token(BaseModel):
    """An OAuth2 bearer token, as the password flow returns it."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105  (the OAuth2 type name)


class Error(BaseModel):
    """Every error that is not a validation error."""

    detail: str


class MfaRequired(BaseModel):
    """A 401 of POST /token: `mfa_required` with the token for POST /token/mfa, or just the
    error (`mfa_token` absent) when the credentials are wrong."""

    detail: str
    mfa_token: str | None = Field(
        default=None,
        description="Single-use, valid for 5 minutes, only good for POST /token/mfa",
    )


class Me(UserPublic):
    """The caller's own account, as GET /users/me/ shows it."""

    mfa_enabled: bool


class UserListItem(UserPublic):
    """An account in the administrators' directory: its badges and live sessions too."""

    is_verified: bool
    active_sessions: int


class UserPage(BaseModel):
    """One page of accounts; `next_cursor` is None on the last page, `total` on cursor pages."""

    items: list[UserListItem]
    total: int | None
    offset: int
    limit: int
    next_cursor: str | None


class PasswordForgot(BaseModel):
    """A reset request: the account's username or email address."""

    identifier: Annotated[str, Field(min_length=1, max_length=policy.EMAIL_INPUT_MAX), _Storable]


class PasswordReset(BaseModel):
    """A new password, with the token from the reset link."""

    token: Annotated[str, Field(min_length=1, max_length=512), _Storable]
    password: PasswordInput


class Message(BaseModel):
    """A plain answer for people."""

    detail: str


class Item(BaseModel):
    """An item of the tutorial's /users/me/items/ route."""

    item_id: str
    owner: str
