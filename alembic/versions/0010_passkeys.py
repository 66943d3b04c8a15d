"""Passkeys: WebAuthn credentials and pending ceremonies.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

Reviewed by hand. A credential keeps what verifying an assertion needs (public key, counter)
and what the account page shows (name, transports, AAGUID, backup flags, dates). Ceremony
challenges are single-use rows reached by the digest of a handle only the server side holds.
Everything is owned by a user and goes with them (ON DELETE CASCADE).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "passkey_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("user_handle", sa.String(length=88), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.String(length=255), nullable=False),
        sa.Column("aaguid", sa.String(length=36), nullable=False),
        sa.Column("backup_eligible", sa.Boolean(), nullable=False),
        sa.Column("backup_state", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_passkey_credential_user_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_passkey_credential"),
        sa.UniqueConstraint("credential_id", name="uq_passkey_credential_credential_id"),
    )
    op.create_index("ix_passkey_credential_user_id", "passkey_credential", ["user_id"])
    op.create_table(
        "webauthn_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handle_hash", sa.String(length=64), nullable=False),
        sa.Column("challenge", sa.String(length=128), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("user_handle", sa.String(length=88), nullable=False),
        sa.Column("pending_username", sa.String(length=150), nullable=False),
        sa.Column("pending_email", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_webauthn_challenge_user_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_webauthn_challenge"),
        sa.UniqueConstraint("handle_hash", name="uq_webauthn_challenge_handle_hash"),
    )
    op.create_index("ix_webauthn_challenge_user_id", "webauthn_challenge", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_webauthn_challenge_user_id", table_name="webauthn_challenge")
    op.drop_table("webauthn_challenge")
    op.drop_index("ix_passkey_credential_user_id", table_name="passkey_credential")
    op.drop_table("passkey_credential")
