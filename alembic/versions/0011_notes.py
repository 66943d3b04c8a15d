"""Notes: the tutorial's sample resource, owned by a user.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

Reviewed by hand. A note belongs to one user and goes with them (ON DELETE CASCADE). The
index serves the only listing there is: one owner's notes, newest first, keyset paged on
(created_at, id).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=10000), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user.id"], name="fk_note_owner_id", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_note"),
    )
    op.create_index("ix_note_owner_created", "note", ["owner_id", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_note_owner_created", table_name="note")
    op.drop_table("note")
