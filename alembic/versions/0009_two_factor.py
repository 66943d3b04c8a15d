"""Two-factor authentication: TOTP credentials, recovery codes, pending second steps.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Reviewed by hand. The TOTP secret gets its own table and column, encrypted by the app
(security/secret_box.py) with a key that is not in the database. Everything is owned by a
user and goes with them (ON DELETE CASCADE).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _owner(table: str) -> list[sa.Column[int] | sa.Constraint]:
    return [
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=f"fk_{table}_user_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def upgrade() -> None:
    op.create_table(
        "totp_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret_encrypted", sa.String(length=255), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *_owner("totp_credential"),
    )
    op.create_index("ix_totp_credential_user_id", "totp_credential", ["user_id"], unique=True)
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        *_owner("recovery_code"),
    )
    op.create_index("ix_recovery_code_user_id", "recovery_code", ["user_id"])
    op.create_table(
        "mfa_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("persistent", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        *_owner("mfa_challenge"),
        sa.UniqueConstraint("token_hash", name="uq_mfa_challenge_token_hash"),
    )
    op.create_index("ix_mfa_challenge_user_id", "mfa_challenge", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_mfa_challenge_user_id", table_name="mfa_challenge")
    op.drop_table("mfa_challenge")
    op.drop_index("ix_recovery_code_user_id", table_name="recovery_code")
    op.drop_table("recovery_code")
    op.drop_index("ix_totp_credential_user_id", table_name="totp_credential")
    op.drop_table("totp_credential")
