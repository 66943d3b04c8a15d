"""Migrations on empty SQLite and PostgreSQL databases: up, down, up, no drift, concurrent runs."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from nfp_app import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from nfp_app.infra import db
from nfp_app.infra.settings import PROJECT_DIR
from tests.support.databases import PostgresTemplate, sqlite_url

APP_TABLES = {"user", "auth_session"}


def _head() -> str | None:
    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()


@pytest.fixture
def sqlite_empty_url(tmp_path: Path) -> Iterator[str]:
    """An empty SQLite file."""
    url = sqlite_url(tmp_path / "empty.db")
    yield url
    db.engine_for(url).dispose()


@pytest.fixture
def postgres_empty_url(postgres_template: PostgresTemplate) -> Iterator[str]:
    """An empty PostgreSQL database."""
    url = postgres_template.create_database(migrated=False)
    yield url
    postgres_template.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest) -> str:
    """An empty database, once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_empty_url")


def _tables(url: str) -> set[str]:
    return set(sa.inspect(db.engine_for(url)).get_table_names())


def _revision(url: str) -> str | None:
    with db.engine_for(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _drift(url: str) -> list[object]:
    with db.engine_for(url).connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), SQLModel.metadata))


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    assert not _tables(empty_url) & APP_TABLES
    db.migrate_to_head(empty_url)
    assert _tables(empty_url) >= APP_TABLES | set(SQLModel.metadata.tables)
    assert _revision(empty_url) == _head()

    command.downgrade(db.alembic_config(empty_url), "base")
    assert _tables(empty_url) <= {"alembic_version"}
    assert _revision(empty_url) is None

    db.migrate_to_head(empty_url)
    assert _tables(empty_url) >= APP_TABLES
    assert _revision(empty_url) == _head()


def test_migrate_to_head_is_idempotent(empty_url: str) -> None:
    db.migrate_to_head(empty_url)
    db.migrate_to_head(empty_url)
    assert _revision(empty_url) == _head()


def test_migrated_schema_matches_the_models(empty_url: str) -> None:
    db.migrate_to_head(empty_url)
    assert _drift(empty_url) == []


def test_migrations_have_one_head() -> None:
    script = ScriptDirectory.from_config(db.alembic_config())
    assert len(script.get_heads()) == 1


_MIGRATE = "import sys; from nfp_app.infra import db; db.migrate_to_head(sys.argv[1])"


@pytest.mark.postgres
def test_concurrent_migrations_on_postgres(postgres_empty_url: str) -> None:
    # Several worker processes starting at once: the advisory lock lets one migrate at a time.
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE, postgres_empty_url],
            cwd=PROJECT_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [worker.communicate(timeout=120) for worker in workers]
    failures = [err for worker, (_, err) in zip(workers, results, strict=True) if worker.returncode]
    assert failures == []
    assert _revision(postgres_empty_url) == _head()
    assert _drift(postgres_empty_url) == []
    with db.engine_for(postgres_empty_url).connect() as connection:
        versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [tuple(row) for row in versions] == [(_head(),)]


@pytest.mark.postgres
def test_concurrent_migrations_from_threads_on_postgres(postgres_empty_url: str) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def migrate() -> None:
        barrier.wait()
        try:
            db.migrate_to_head(postgres_empty_url)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=migrate, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    # A deadlocked thread is released when the fixture drops the database WITH (FORCE).
    assert not any(thread.is_alive() for thread in threads), "migrations deadlocked"
    assert errors == []
    assert _revision(postgres_empty_url) == _head()


@pytest.mark.postgres
def test_migration_waits_for_the_advisory_lock(postgres_empty_url: str) -> None:
    """Another process holds the migration lock: this one waits on it, then migrates."""
    # Autocommit: a session-level lock needs no transaction, and each poll below must see a
    # fresh pg_stat_activity (inside one transaction it is a snapshot).
    engine = db.engine_for(postgres_empty_url).execution_options(isolation_level="AUTOCOMMIT")
    holder = engine.connect()
    holder.execute(sa.text("SELECT pg_advisory_lock(:id)"), {"id": db.MIGRATION_LOCK_ID})
    errors: list[BaseException] = []

    def migrate() -> None:
        try:
            db.migrate_to_head(postgres_empty_url)
        except Exception as error:
            errors.append(error)

    thread = threading.Thread(target=migrate, daemon=True)
    thread.start()
    try:
        # The positive signal: a backend of this database waits on an advisory lock.
        waiting = sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND wait_event = 'advisory'"
        )
        deadline = time.monotonic() + 30
        while holder.execute(waiting).scalar_one() == 0:
            assert time.monotonic() < deadline, "the migration never waited on the lock"
            assert thread.is_alive(), f"the migration did not wait: {errors}"
            time.sleep(0.05)
        assert _revision(postgres_empty_url) is None  # nothing migrated while the lock was held
    finally:
        holder.execute(sa.text("SELECT pg_advisory_unlock(:id)"), {"id": db.MIGRATION_LOCK_ID})
        holder.close()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert errors == []
    assert _revision(postgres_empty_url) == _head()
