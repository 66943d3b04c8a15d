"""Outgoing mail, single-use email tokens, verified emails, devices in the audit trail, and
the tab that ended its own session.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

Reviewed by hand. Accounts that already have an email keep it as verified (from their creation
date): verification was never asked of them, and switching it on must not lock them out.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, also on SQLite: a batch would copy the table and lose the
    # expression index that keeps emails unique regardless of case.
    op.add_column("user", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE "user" SET email_verified_at = created_at WHERE email IS NOT NULL')
    op.add_column("auth_session", sa.Column("ended_by_tab", sa.String(length=64), nullable=True))
    op.add_column(
        "auth_event",
        sa.Column("user_agent", sa.String(length=512), nullable=False, server_default=""),
    )
    op.create_table(
        "mail_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=255), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mail_message"),
    )
    op.create_index("ix_mail_message_due", "mail_message", ["sent_at", "next_attempt_at"])
    op.create_table(
        "action_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name="fk_action_token_user_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_action_token"),
        sa.UniqueConstraint("token_hash", name="uq_action_token_token_hash"),
    )
    op.create_index("ix_action_token_purpose", "action_token", ["purpose"])
    op.create_index("ix_action_token_user_id", "action_token", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_action_token_user_id", table_name="action_token")
    op.drop_index("ix_action_token_purpose", table_name="action_token")
    op.drop_table("action_token")
    op.drop_index("ix_mail_message_due", table_name="mail_message")
    op.drop_table("mail_message")
    with op.batch_alter_table("auth_event") as batch:
        batch.drop_column("user_agent")
    with op.batch_alter_table("auth_session") as batch:
        batch.drop_column("ended_by_tab")
    with op.batch_alter_table("user") as batch:
        batch.drop_column("email_verified_at")
    if op.get_bind().dialect.name == "sqlite":
        # The batch copied the table without its expression index: put it back.
        op.execute("DROP INDEX IF EXISTS uq_user_email_lower")
        op.create_index("uq_user_email_lower", "user", [sa.text("lower(email)")], unique=True)
