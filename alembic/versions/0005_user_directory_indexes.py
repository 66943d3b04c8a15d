"""Indexes of the administrators' user directory: keyset orders and prefix search.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Reviewed by hand. PostgreSQL gets text_pattern_ops on the lowered names so that
`lower(x) LIKE 'prefix%'` uses them under any collation; SQLite has no operator classes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _lowered(column: str) -> sa.TextClause:
    if op.get_bind().dialect.name == "postgresql":
        return sa.text(f"lower({column}) text_pattern_ops")
    return sa.text(f"lower({column})")


def upgrade() -> None:
    op.create_index("ix_user_created_at_id", "user", ["created_at", "id"])
    op.create_index("ix_user_last_login_at_id", "user", ["last_login_at", "id"])
    op.create_index("ix_user_username_prefix", "user", [_lowered("username")])
    op.create_index("ix_user_email_prefix", "user", [_lowered("email")])


def downgrade() -> None:
    op.drop_index("ix_user_email_prefix", table_name="user")
    op.drop_index("ix_user_username_prefix", table_name="user")
    op.drop_index("ix_user_last_login_at_id", table_name="user")
    op.drop_index("ix_user_created_at_id", table_name="user")
