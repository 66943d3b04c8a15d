"""Single-use tokens sent by email: password reset, email verification, "this wasn't me"."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from nfp_app.models.base import timestamp, utcnow


class ActionToken(SQLModel, table=True):
    """A link's secret, stored only as its digest; usable once, until it expires."""

    __tablename__ = "action_token"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=16, index=True)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    token_hash: str = Field(max_length=64, unique=True)
    # The address a verification link confirms (a new one, when the email is changing).
    email: str | None = Field(default=None, max_length=254)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    expires_at: dt.datetime = Field(sa_column=timestamp(nullable=False))
    used_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
