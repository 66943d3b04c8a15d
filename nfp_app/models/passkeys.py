"""Passkeys (WebAuthn): registered credentials and pending ceremonies."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from nfp_app.models.base import timestamp, utcnow


class PasskeyCredential(SQLModel, table=True):
    """A public-key credential a user registered; the private key never leaves the authenticator."""

    __tablename__ = "passkey_credential"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # base64url without padding; the spec allows ids of up to 1,023 bytes.
    credential_id: str = Field(max_length=1400, unique=True)
    # The WebAuthn user.id the credential was made for (base64url), shared by a user's passkeys.
    user_handle: str = Field(max_length=88)
    # COSE_Key bytes as the authenticator sent them.
    public_key: bytes = Field(sa_column=sa.Column(sa.LargeBinary, nullable=False))
    # An unsigned 32-bit counter, hence BigInteger; 0 forever for synced passkeys.
    sign_count: int = Field(default=0, sa_column=sa.Column(sa.BigInteger, nullable=False))
    # Comma-separated AuthenticatorTransport values ("internal,hybrid").
    transports: str = Field(default="", max_length=255)
    aaguid: str = Field(default="", max_length=36)
    backup_eligible: bool = False
    backup_state: bool = False
    name: str = Field(max_length=64)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    last_used_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))


class WebauthnChallenge(SQLModel, table=True):
    """One ceremony's challenge: random, single-use, five minutes, reached only by its handle."""

    __tablename__ = "webauthn_challenge"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    # Digest of the handle the tab's server-side state (or the API client) holds.
    handle_hash: str = Field(max_length=64, unique=True)
    # base64url of the random challenge bytes sent to the browser.
    challenge: str = Field(max_length=128)
    # "register", "signin", "second_factor", "reauth" or "signup": each verifies only its own.
    purpose: str = Field(max_length=16)
    # Whom the ceremony is for; None for a username-less passkey sign-in or a signup.
    user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    # The WebAuthn user.id offered in a registration (base64url).
    user_handle: str = Field(default="", max_length=88)
    # A passkey signup remembers the account it will create here, never taken from the client.
    pending_username: str = Field(default="", max_length=150)
    pending_email: str = Field(default="", max_length=320)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=timestamp(nullable=False))
    expires_at: dt.datetime = Field(sa_column=timestamp(nullable=False))
    used_at: dt.datetime | None = Field(default=None, sa_column=timestamp(nullable=True))
