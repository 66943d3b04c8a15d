"""SEC-13: no default credentials; a fresh database has no users and no administrator."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

from nfp_app.infra import db
from nfp_app.models import User
from nfp_app.services import accounts, signin
from tests.support.live_app import LiveAppFactory
from tests.support.security import client

pytestmark = [pytest.mark.security]

DEFAULTS = [
    ("admin", "admin"),
    ("admin", "password"),
    ("admin", "changethis"),
    ("root", "root"),
    ("administrator", "administrator"),
    ("user", "user"),
    ("nfp_app", "nfp_app"),
]


def _count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(User)).one())


def test_sec13_fresh_database_has_no_users(session: Session) -> None:
    assert _count(session) == 0
    assert accounts.count_admins(session=session) == 0
    for username, password in DEFAULTS:
        result = signin.sign_in(
            binding="a browser",
            session=session,
            username=username,
            password=password,
            persistent=False,
        )
        assert result == signin.BadCredentials()


@pytest.mark.postgres
def test_sec13_live_app_starts_empty(live_app_factory: LiveAppFactory) -> None:
    with live_app_factory() as app, client(app.base_url) as http:
        engine = db.engine_for(app.database_url)
        with Session(engine) as session:
            assert _count(session) == 0  # the app migrated its database and created no one
        for username, password in DEFAULTS[:3]:
            answer = http.post("/token", data={"username": username, "password": password})
            assert answer.status_code == 401
        assert http.get("/users/").status_code == 401
        assert http.get("/users/me/").status_code == 401
        assert http.patch("/users/1", json={"is_admin": True}).status_code == 401
        with Session(engine) as session:
            assert _count(session) == 0
            assert accounts.count_admins(session=session) == 0
        engine.dispose()


def test_sec13_migrations_seed_no_rows(engine: sa.Engine) -> None:
    """Every table the migrations made, on SQLite and PostgreSQL, is empty."""
    tables = [table.name for table in SQLModel.metadata.sorted_tables]
    assert {"user", "auth_session", "auth_event", "throttle_hit"} <= set(tables)
    with engine.connect() as connection:
        assert sa.inspect(connection).get_table_names()  # the migrations did run
        for table in tables:
            count = connection.execute(sa.select(sa.func.count()).select_from(sa.table(table)))
            assert count.scalar_one() == 0, f"the migrations put rows into {table}"
