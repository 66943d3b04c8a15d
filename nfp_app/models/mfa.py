"""Two-factor authentication: the TOTP credential, recovery codes and pending second steps."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from nfp_app.models.base import timestamp, utcnow


def _owner(*, unique: bool = False) -> sa.Column[int]:
    return sa.Column(
        sa.Integer,
        sa.ForeignKey("user.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        unique=unique,
    )


class TotpCredential(SQLModel, table=True):
    """A user's authenticator secret, encrypted; pending until a first code confirms it."""

    __tablename__ = "totp_credential"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_owner(unique=True))
    # security.secret_box: AES-GCM under a key the database does not hold.
    secret_encrypted: str = Field(max_length=255)
    confirmed_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
    # The newest time step accepted: that code and every older one are refused (replay).
    last_used_step: int | None = Field(default=None)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))


class RecoveryCode(SQLModel, table=True):
    """One single-use recovery code, stored only as its keyed hash."""

    __tablename__ = "recovery_code"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_owner())
    code_hash: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    used_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class MfaChallenge(SQLModel, table=True):
    """A sign-in waiting for its second factor: the password was right, no session yet."""

    __tablename__ = "mfa_challenge"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_owner())
    token_hash: str = Field(max_length=64, unique=True)
    # "browser" (the /login/verify step) or "api" (POST /token/mfa): each only redeems its own.
    channel: str = Field(max_length=8)
    # "Remember me" from the password step.
    persistent: bool = False
    failures: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    expires_at: dt.datetime = Field(sa_column=timestamp(nullable=False))
    used_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
