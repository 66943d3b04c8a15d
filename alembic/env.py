"""Alembic environment: the app's tables and the app's database URL."""

from __future__ import annotations

import logging.config

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel

from nfp_app import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from nfp_app.infra.db import MIGRATION_LOCK_ID, engine_for
from nfp_app.infra.settings import get_settings

config = context.config
# Only the alembic CLI configures logging; called from the app, keep the app's logging.
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _database_url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of applying it."""
    context.configure(url=_database_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply migrations, one process at a time on PostgreSQL."""
    engine = engine_for(_database_url())
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID}
                )
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
