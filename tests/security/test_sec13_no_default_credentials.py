"""SEC-13: no default credentials; a fresh database has no users and no administrator."""

from __future__ import annotations

import pytest
from sqlmodel import Session, func, select

from nfp_app import accounts, db, signin
from nfp_app.models import User
from nfp_app.settings import PROJECT_DIR
from tests.security.support import client
from tests.support.live_app import LiveAppFactory

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
            session=session, username=username, password=password, persistent=False
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


def test_sec13_migrations_seed_no_rows() -> None:
    source = "\n".join(
        path.read_text() for path in sorted(PROJECT_DIR.glob("alembic/versions/*.py"))
    )
    assert "bulk_insert" not in source
    assert 'INSERT INTO "user"' not in source.replace("'", '"')
