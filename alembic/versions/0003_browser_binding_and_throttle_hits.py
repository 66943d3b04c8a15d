"""Handoff codes bound to a browser; the throttling table also counts signups.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

Reviewed by hand. `auth_failure` becomes `throttle_hit`: it now holds sign-in attempts that
are reserved before the password check (and released when it succeeds) and signup attempts.
Its rows are short-lived counters, so the rename keeps them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auth_session") as batch:
        batch.add_column(sa.Column("handoff_binding", sa.String(length=64), nullable=True))
    op.drop_index("ix_auth_failure_scope_key_created", table_name="auth_failure")
    op.rename_table("auth_failure", "throttle_hit")
    with op.batch_alter_table("throttle_hit") as batch:
        batch.alter_column("key", existing_type=sa.String(length=128), type_=sa.String(length=255))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE throttle_hit RENAME CONSTRAINT pk_auth_failure TO pk_throttle_hit")
        op.execute("ALTER SEQUENCE auth_failure_id_seq RENAME TO throttle_hit_id_seq")
    op.create_index(
        "ix_throttle_hit_scope_key_created", "throttle_hit", ["scope", "key", "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_throttle_hit_scope_key_created", table_name="throttle_hit")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE throttle_hit_id_seq RENAME TO auth_failure_id_seq")
        op.execute("ALTER TABLE throttle_hit RENAME CONSTRAINT pk_throttle_hit TO pk_auth_failure")
    # Longer keys of the new scopes would not fit the old column: they are counters, drop them.
    op.execute("DELETE FROM throttle_hit")
    with op.batch_alter_table("throttle_hit") as batch:
        batch.alter_column("key", existing_type=sa.String(length=255), type_=sa.String(length=128))
    op.rename_table("throttle_hit", "auth_failure")
    op.create_index(
        "ix_auth_failure_scope_key_created", "auth_failure", ["scope", "key", "created_at"]
    )
    with op.batch_alter_table("auth_session") as batch:
        batch.drop_column("handoff_binding")
