"""Indexes of the audit log and the console overview: newest first, per user, IP or event.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Reviewed by hand. The composite indexes lead with the columns the single-column ones of 0002
had, so those two go: every audit row written maintains two indexes fewer.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_auth_event_created_at_id", "auth_event", ["created_at", "id"])
    op.create_index("ix_auth_event_user_created", "auth_event", ["user_id", "created_at", "id"])
    op.create_index("ix_auth_event_ip_created", "auth_event", ["ip", "created_at", "id"])
    op.create_index("ix_auth_event_event_created", "auth_event", ["event", "created_at", "outcome"])
    op.drop_index("ix_auth_event_user_id", table_name="auth_event")
    op.drop_index("ix_auth_event_event", table_name="auth_event")


def downgrade() -> None:
    op.create_index("ix_auth_event_event", "auth_event", ["event"])
    op.create_index("ix_auth_event_user_id", "auth_event", ["user_id"])
    op.drop_index("ix_auth_event_event_created", table_name="auth_event")
    op.drop_index("ix_auth_event_ip_created", table_name="auth_event")
    op.drop_index("ix_auth_event_user_created", table_name="auth_event")
    op.drop_index("ix_auth_event_created_at_id", table_name="auth_event")
