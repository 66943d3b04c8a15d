"""Failed sign-in counters for throttling, the audit log, and case-insensitive unique emails.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Reviewed by hand.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("uq_user_email_lower", "user", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "auth_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_auth_failure"),
    )
    op.create_index(
        "ix_auth_failure_scope_key_created", "auth_failure", ["scope", "key", "created_at"]
    )
    op.create_table(
        "auth_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_auth_event_user_id", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_auth_event"),
    )
    op.create_index("ix_auth_event_event", "auth_event", ["event"])
    op.create_index("ix_auth_event_user_id", "auth_event", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_auth_event_user_id", table_name="auth_event")
    op.drop_index("ix_auth_event_event", table_name="auth_event")
    op.drop_table("auth_event")
    op.drop_index("ix_auth_failure_scope_key_created", table_name="auth_failure")
    op.drop_table("auth_failure")
    op.drop_index("uq_user_email_lower", table_name="user")
