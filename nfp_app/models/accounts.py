"""Accounts: the user table and what anyone allowed to see a user may see."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from nfp_app.models.base import timestamp, utcnow

# What the user directory filters and sorts on, INCLUDEd in its prefix indexes (migration 0008).
_DIRECTORY_COLUMNS = [
    "created_at",
    "last_login_at",
    "id",
    "is_active",
    "is_admin",
    "email_verified_at",
]


class User(SQLModel, table=True):
    """An account; `username_key` is the normalised form that makes names unique."""

    __tablename__ = "user"  # type: ignore[assignment]
    # Emails compare case-insensitively, also when two signups race past the service's check.
    __table_args__ = (
        sa.Index("uq_user_email_lower", sa.func.lower(sa.text("email")), unique=True),
        # The user directory (migrations 0005, 0008): keyset orders and case-insensitive
        # prefixes. text_pattern_ops lets PostgreSQL serve LIKE 'prefix%' whatever the
        # collation; the INCLUDEd columns make a prefix search an index-only scan.
        sa.Index("ix_user_created_at_id", "created_at", "id"),
        sa.Index("ix_user_last_login_at_id", "last_login_at", "id"),
        sa.Index(
            "ix_user_username_prefix",
            sa.func.lower(sa.text("username")).label("username_lower"),
            postgresql_ops={"username_lower": "text_pattern_ops"},
            postgresql_include=["username", *_DIRECTORY_COLUMNS],
        ),
        sa.Index(
            "ix_user_email_prefix",
            sa.func.lower(sa.text("email")).label("email_lower"),
            postgresql_ops={"email_lower": "text_pattern_ops"},
            postgresql_include=["email", *_DIRECTORY_COLUMNS],
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    username_key: str = Field(max_length=64, unique=True, index=True)
    email: str | None = Field(default=None, max_length=254, unique=True)
    hashed_password: str = Field(max_length=255)
    is_active: bool = True
    is_admin: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    last_login_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    password_changed_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=timestamp(nullable=False)
    )
    # When the current email was confirmed through a link; None while it is not.
    email_verified_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class UserPublic(BaseModel):
    """What anyone allowed to see a user may see: never a hash."""

    id: int
    username: str
    email: str | None
    is_active: bool
    is_admin: bool
    created_at: dt.datetime
    last_login_at: dt.datetime | None

    @classmethod
    def from_user(cls, user: User) -> UserPublic:
        """Copy the public fields of a stored user."""
        assert user.id is not None
        return cls(
            id=user.id,
            username=user.username,
            email=user.email,
            is_active=user.is_active,
            is_admin=user.is_admin,
            created_at=user.created_at,
            last_login_at=user.last_login_at,
        )
