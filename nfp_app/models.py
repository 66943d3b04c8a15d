"""Database tables and the public shapes derived from them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from annotated_types import MaxLen
from pydantic import BaseModel
from sqlmodel import Field, SQLModel


def max_length(table: type[SQLModel], column: str) -> int:
    """The max_length a string column of a table declares."""
    for constraint in table.model_fields[column].metadata:
        if isinstance(constraint, MaxLen):
            return constraint.max_length
    raise LookupError(f"{table.__name__}.{column} declares no max_length")


def clip(value: str, table: type[SQLModel], column: str) -> str:
    """A value cut to what a string column holds."""
    return value[: max_length(table, column)]


def utcnow() -> dt.datetime:
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp, also on SQLite, which drops the offset."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC timestamp column")
        return value.astimezone(dt.UTC)

    def process_result_value(
        self, value: dt.datetime | None, dialect: sa.Dialect
    ) -> dt.datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=dt.UTC)


def _timestamp(*, nullable: bool) -> sa.Column[dt.datetime]:
    return sa.Column(UTCDateTime(), nullable=nullable)


class User(SQLModel, table=True):
    """An account; `username_key` is the normalised form that makes names unique."""

    __tablename__ = "user"  # type: ignore[assignment]
    # Emails compare case-insensitively, also when two signups race past the service's check.
    __table_args__ = (
        sa.Index("uq_user_email_lower", sa.func.lower(sa.text("email")), unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    username_key: str = Field(max_length=64, unique=True, index=True)
    email: str | None = Field(default=None, max_length=254, unique=True)
    hashed_password: str = Field(max_length=255)
    is_active: bool = True
    is_admin: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    last_login_at: dt.datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    password_changed_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=_timestamp(nullable=False)
    )


class AuthSession(SQLModel, table=True):
    """A server-side sign-in; only digests of its secrets are stored."""

    __tablename__ = "auth_session"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    secret_hash: str | None = Field(default=None, max_length=64, unique=True)
    handoff_hash: str | None = Field(default=None, max_length=64, unique=True)
    handoff_expires_at: dt.datetime | None = Field(
        default=None, sa_column=_timestamp(nullable=True)
    )
    # Digest of the browser-binding cookie of the connection that proved the password: only
    # that browser may redeem the handoff code (a login CSRF otherwise).
    handoff_binding: str | None = Field(default=None, max_length=64)
    persistent: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    expires_at: dt.datetime = Field(sa_column=_timestamp(nullable=False))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    user_agent: str = Field(default="", max_length=512)
    ip: str = Field(default="", max_length=64)


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


class ThrottleHit(SQLModel, table=True):
    """One counted attempt (a sign-in not yet known good, a signup) under a throttling key."""

    __tablename__ = "throttle_hit"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16)
    key: str = Field(max_length=255)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))

    __table_args__ = (sa.Index("ix_throttle_hit_scope_key_created", "scope", "key", "created_at"),)


class AuthEvent(SQLModel, table=True):
    """The audit trail: who did what, from where, with what outcome. Never a secret."""

    __tablename__ = "auth_event"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_timestamp(nullable=False))
    event: str = Field(max_length=32, index=True)
    outcome: str = Field(max_length=16)
    user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True, index=True
        ),
    )
    username: str = Field(default="", max_length=64)
    ip: str = Field(default="", max_length=64)
    detail: str = Field(default="", max_length=255)
