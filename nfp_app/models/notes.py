"""Notes: the tutorial's sample resource, each owned by one user and reachable only by them."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from nfp_app.models.base import timestamp, utcnow


class Note(SQLModel, table=True):
    """One note of one user: a line of text that can be ticked off."""

    __tablename__ = "note"  # type: ignore[assignment]
    # The user's notes, newest first, in one index range (the /notes page and GET /notes/).
    __table_args__ = (sa.Index("ix_note_owner_created", "owner_id", "created_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    # The notes go with their owner (ON DELETE CASCADE).
    owner_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        )
    )
    text: str = Field(max_length=10_000)
    completed: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
