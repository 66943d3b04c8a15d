"""Shared fixtures: test settings, a fresh database per test, and one live production app."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Settings are read once per process, so the test values go in before nfp_app is imported.
_TMP = Path(tempfile.mkdtemp(prefix="nfp-pytest-"))
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'default.db'}"
os.environ["SECRET_KEY"] = secrets.token_urlsafe(48)
os.environ["BCRYPT_ROUNDS"] = "4"
os.environ["REFLEX_ENV_MODE"] = "dev"

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402

from nfp_app.infra import db  # noqa: E402
from tests.support.databases import PostgresTemplate, sqlite_url  # noqa: E402

# Browser fixtures are registered only by the folders that drive Chromium (their conftest.py).
pytest_plugins = [
    "pytester",
    "tests.support.forbid_skips",
    "tests.support.frontend_build",
    "tests.support.live_app",
    "tests.support.overrides",
    "tests.support.throttle_stores",
]


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[PostgresTemplate]:
    """A migrated template database on the throwaway cluster that scripts/test.sh starts."""
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.fail("TEST_POSTGRES_URL is not set: run the suite with scripts/test.sh")
    template = PostgresTemplate(url)
    yield template
    template.close()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """A fresh, migrated SQLite database for one test."""
    url = sqlite_url(tmp_path / "test.db")
    db.migrate_to_head(url)
    engine = db.engine_for(url)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine(postgres_template: PostgresTemplate) -> Iterator[sa.Engine]:
    """A fresh, migrated PostgreSQL database for one test."""
    url = postgres_template.create_database()
    engine = db.engine_for(url)
    yield engine
    engine.dispose()
    postgres_template.drop_database(url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> sa.Engine:
    """Each test using this runs once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_engine")


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    """A session on the fresh database of this test; committed work stays in that database."""
    with Session(engine, expire_on_commit=False) as open_session:
        yield open_session
