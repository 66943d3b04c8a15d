"""For the restart tests: the app's process, its sessions, and the recovery times they measure.

The times are printed at the end of the run (pytest's terminal summary), and by each test.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlmodel import col, select

from nfp_app.infra import db
from nfp_app.models import AuthSession, User
from tests.support.live_app import LiveApp
from tests.support.prod_app import AppProcess

_MEASURED: list[tuple[str, float]] = []


def record(what: str, seconds: float) -> None:
    """Keep one measured time for the summary, and print it with the test's output."""
    _MEASURED.append((what, seconds))
    print(f"{what}: {seconds:.2f} s")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print every recovery time measured in this run (a hook, imported by the conftest)."""
    if not _MEASURED:
        return
    terminalreporter.section("recovery times")
    for what, seconds in _MEASURED:
        terminalreporter.line(f"{what}: {seconds:.2f} s")


def process_of(app: LiveApp) -> AppProcess:
    """The process of an app that the test may stop and start."""
    assert app.process is not None, "this app was not started as a restartable process"
    return app.process


def timed(action: Callable[[], object]) -> float:
    """Run an action; the seconds it took."""
    started = time.monotonic()
    action()
    return time.monotonic() - started


def live_sessions(app: LiveApp, username: str) -> list[int]:
    """The ids of the user's sessions that nobody has ended."""
    with db.session_scope(db.engine_for(app.database_url)) as session:
        query = (
            select(AuthSession.id)
            .join(User, col(User.id) == col(AuthSession.user_id))
            .where(User.username == username, col(AuthSession.revoked_at).is_(None))
        )
        return [row for row in session.exec(query).all() if row is not None]


def account_exists(app: LiveApp, username: str) -> bool:
    """Whether the app's database holds an account of this name."""
    with db.session_scope(db.engine_for(app.database_url)) as session:
        return session.exec(select(User.id).where(User.username == username)).first() is not None


def wait_for_hashing(app: LiveApp, seconds: float = 30.0) -> None:
    """Wait until one of the app's requests has looked the account name up and is hashing.

    Signup and sign-in both look the name up (`username_key`) and then, in the same
    transaction, hash or check the password: that connection sits idle in its transaction.
    """
    database = sa.make_url(app.database_url).database
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = :database"
        " AND state = 'idle in transaction' AND query LIKE '%username_key%'"
    )
    engine = db.engine_for(app.database_url)
    deadline = time.monotonic() + seconds
    while True:
        with engine.connect() as connection:
            if connection.execute(query, {"database": database}).scalar_one():
                return
        if time.monotonic() > deadline:
            pytest.fail(f"no request was hashing a password within {seconds} s")
        time.sleep(0.02)
