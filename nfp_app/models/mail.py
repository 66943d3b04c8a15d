"""Outgoing mail, stored first and delivered by a background task, so none is lost."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from nfp_app.models.base import timestamp, utcnow


class MailMessage(SQLModel, table=True):
    """One message to one address; `sent_at` is set once a server (or the outbox) took it."""

    __tablename__ = "mail_message"  # type: ignore[assignment]
    __table_args__ = (sa.Index("ix_mail_message_due", "sent_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    template: str = Field(max_length=64)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=255)
    text_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    html_body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    attempts: int = 0
    next_attempt_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=timestamp(nullable=False)
    )
    sent_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # Set when the last attempt failed, or when the message was given up on.
    last_error: str = Field(default="", max_length=255)
    failed_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
