"""Prefix indexes of the user directory that cover its queries (PostgreSQL).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

Reviewed by hand. 0005's prefix indexes made a prefix search read every match from the table
(heap) to sort it: 67-81 ms for 170,000 matches at 1M users. With the columns the search
filters and sorts on INCLUDEd, and the name itself (so that PostgreSQL can recheck the LIKE
without the table), the matches come from an index-only scan (docs/benchmarks.md). SQLite has
neither INCLUDE nor operator classes: it keeps 0005's indexes. Index-only scans need an
up-to-date visibility map, which autovacuum keeps.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What the directory's WHERE and ORDER BY read besides the name (models/accounts.py).
COVERED = ["created_at", "last_login_at", "id", "is_active", "is_admin", "email_verified_at"]


def _recreate(column: str, *, covering: bool) -> None:
    name = f"ix_user_{column}_prefix"
    op.drop_index(name, table_name="user")
    include = [column, *COVERED] if covering else []
    lowered = sa.text(f"lower({column}) text_pattern_ops")
    op.create_index(name, "user", [lowered], postgresql_include=include)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _recreate("username", covering=True)
        _recreate("email", covering=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _recreate("email", covering=False)
        _recreate("username", covering=False)
