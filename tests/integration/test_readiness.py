"""The readiness checks in-process: a database at the migration head, behind it, or away."""

from __future__ import annotations

from pathlib import Path

from alembic import command

from nfp_app.infra import db, health
from tests.support.databases import sqlite_url
from tests.support.event_loop import run_coroutine
from tests.support.overrides import Override


def test_ready_at_the_migration_head(tmp_path: Path, override: Override) -> None:
    url = sqlite_url(tmp_path / "ready.db")
    db.migrate_to_head(url)
    override(DATABASE_URL=url)
    result = run_coroutine(health.readiness())
    assert result.checks == {"database": "ok", "migrations": "ok", "redis": "not configured"}
    assert result.ready


def test_not_ready_behind_the_migration_head(tmp_path: Path, override: Override) -> None:
    url = sqlite_url(tmp_path / "behind.db")
    db.migrate_to_head(url)
    command.downgrade(db.alembic_config(url), "-1")
    override(DATABASE_URL=url)
    result = run_coroutine(health.readiness())
    assert result.checks["database"] == "ok"
    assert result.checks["migrations"] == "behind"
    assert not result.ready


def test_not_ready_without_a_database(override: Override) -> None:
    # Nothing listens on port 1 of loopback: the connection is refused at once.
    override(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none", HEALTH_CHECK_TIMEOUT_SECONDS="2")
    result = run_coroutine(health.readiness())
    assert result.checks["database"] == "failed"
    assert not result.ready
