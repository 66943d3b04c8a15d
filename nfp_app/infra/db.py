"""Database engine, session scope, the transaction runner and migrations."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event
from sqlmodel import Session

from nfp_app.infra.settings import PROJECT_DIR, Settings, get_settings


@functools.cache
def engine_for(url: str) -> sa.Engine:
    """One pooled engine per database URL; PostgreSQL's pool follows the DB_POOL_* settings."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    # Settings(), not get_settings(): a hand-run `alembic upgrade` needs no SECRET_KEY.
    settings = Settings()
    return sa.create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_pre_ping=settings.db_pool_pre_ping,
        pool_timeout=settings.db_pool_timeout_seconds,
        # SQLAlchemy's "never" is -1.
        pool_recycle=settings.db_pool_recycle_seconds or -1,
        # The app always speaks UTF-8, even to a database created as SQL_ASCII (a machine
        # without a locale), where psycopg2 would otherwise fail on a non-ASCII username.
        connect_args={
            "connect_timeout": settings.db_connect_timeout_seconds,
            "client_encoding": "utf8",
        },
    )


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine() -> sa.Engine:
    """The engine for the configured database."""
    return engine_for(get_settings().database_url)


@contextmanager
def session_scope(engine: sa.Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


T = TypeVar("T")


def call(service: Callable[..., T], /, **kwargs: Any) -> T:
    """Run one service function in a transaction of its own: `service(session=..., **kwargs)`."""
    with session_scope() as session:
        return service(session=session, **kwargs)


async def run(
    service: Callable[..., T], /, *, executor: Executor | None = None, **kwargs: Any
) -> T:
    """`call` off the event loop: in `executor`, or the loop's default thread pool."""
    loop = asyncio.get_running_loop()
    # The caller's context (its request id, for the log lines) goes along into the thread.
    context = contextvars.copy_context()
    work = functools.partial(context.run, call, service, **kwargs)
    return await loop.run_in_executor(executor, work)


def alembic_config(url: str | None = None) -> AlembicConfig:
    """Alembic configuration for this project, optionally for another database URL."""
    config = AlembicConfig(str(PROJECT_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_DIR / "alembic"))
    config.attributes["configure_logger"] = False
    if url is not None:
        config.attributes["database_url"] = url
    return config


# An arbitrary constant: every process migrating one PostgreSQL database takes the same
# advisory lock (alembic/env.py), so workers starting together migrate one after the other.
MIGRATION_LOCK_ID = 7_318_004_211
# Alembic's `context` is process-global, so two threads of one process must not run env.py at
# once; across processes the advisory lock in env.py serialises PostgreSQL migrations.
_MIGRATION_LOCK = threading.Lock()


def migrate_to_head(url: str | None = None) -> None:
    """Apply every pending migration; safe from several threads and several workers at once."""
    with _MIGRATION_LOCK:
        command.upgrade(alembic_config(url), "head")
