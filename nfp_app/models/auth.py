"""Sign-in sessions, throttling counters and the audit trail."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from nfp_app.models.base import timestamp, utcnow


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
    handoff_expires_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # Digest of the browser-binding cookie of the connection that proved the password: only
    # that browser may redeem the handoff code (a login CSRF otherwise).
    handoff_binding: str | None = Field(default=None, max_length=64)
    persistent: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    last_seen_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    expires_at: dt.datetime = Field(sa_column=timestamp(nullable=False))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # The tab (Reflex client token, no secret) that logged out itself: the sign-out push
    # spares it, since it is on its way to the sign-in page already.
    ended_by_tab: str | None = Field(default=None, max_length=64)
    user_agent: str = Field(default="", max_length=512)
    ip: str = Field(default="", max_length=64)


class ThrottleHit(SQLModel, table=True):
    """One counted attempt (a sign-in not yet known good, a signup) under a throttling key."""

    __tablename__ = "throttle_hit"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16)
    key: str = Field(max_length=255)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))

    __table_args__ = (sa.Index("ix_throttle_hit_scope_key_created", "scope", "key", "created_at"),)


class AuthEvent(SQLModel, table=True):
    """The audit trail: who did what, from where, with what outcome. Never a secret."""

    __tablename__ = "auth_event"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    event: str = Field(max_length=32)
    outcome: str = Field(max_length=16)
    user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user.id", ondelete="SET NULL"), nullable=True
        ),
    )
    username: str = Field(default="", max_length=64)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=512)
    detail: str = Field(default="", max_length=255)

    # The audit log pages newest first by (created_at, id), within a user, an IP or an event
    # type; the overview counts sign-ins per day through the event one (migration 0006).
    __table_args__ = (
        sa.Index("ix_auth_event_created_at_id", "created_at", "id"),
        sa.Index("ix_auth_event_user_created", "user_id", "created_at", "id"),
        sa.Index("ix_auth_event_ip_created", "ip", "created_at", "id"),
        sa.Index("ix_auth_event_event_created", "event", "created_at", "outcome"),
    )
