"""`python -m nfp_app audit`: the filtered audit log as a table or CSV, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from nfp_app.infra import db
from nfp_app.infra.settings import PROJECT_DIR
from nfp_app.models import AuthEvent, User
from nfp_app.services import audit_export

pytestmark = [pytest.mark.cli]

OK, REFUSED, USAGE, NOT_FOUND = 0, 1, 2, 3
BASE = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def cli(engine: sa.Engine) -> Cli:
    """Run the CLI in a new process on this test's database."""
    url = engine.url.render_as_string(hide_password=False)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        environment = {**os.environ, "DATABASE_URL": url}
        return subprocess.run(
            [sys.executable, "-m", "nfp_app", *args],
            cwd=PROJECT_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )

    return run


@pytest.fixture
def alice_id(engine: sa.Engine) -> int:
    """An account, and six events: alice's logins (one failed, one formula-like), others'."""
    with db.session_scope(engine) as session:
        alice = User(
            username="alice", username_key="alice", hashed_password="x", password_changed_at=BASE
        )
        session.add(alice)
        session.flush()
        assert alice.id is not None
        rows = [
            ("login", "success", alice.id, "alice", "10.0.0.1", "d1st"),
            ("login", "failure", alice.id, "alice", "10.0.0.1", "=cmd|' /C calc'!A0"),
            ("logout", "success", alice.id, "alice", "10.0.0.2", "d3rd"),
            ("signup", "success", None, "bob", "10.0.0.3", "d4th"),
            ("login", "throttled", None, "bob", "10.0.0.3", "d5th"),
            ("login", "success", None, "carol", "10.0.0.4", "d6th"),
        ]
        session.execute(
            sa.insert(AuthEvent),
            [
                {
                    "created_at": BASE + dt.timedelta(hours=i),
                    "event": event,
                    "outcome": outcome,
                    "user_id": user_id,
                    "username": username,
                    "ip": ip,
                    "user_agent": "pytest",
                    "detail": detail,
                }
                for i, (event, outcome, user_id, username, ip, detail) in enumerate(rows)
            ],
        )
        return alice.id


def _details(done: subprocess.CompletedProcess[str]) -> list[str]:
    assert done.returncode == OK, done.stderr
    names = ("d1st", "cmd", "d3rd", "d4th", "d5th", "d6th")
    return [name for line in done.stdout.splitlines() for name in names if name in line]


def test_table_filters(cli: Cli, alice_id: int) -> None:
    every = cli("audit")
    assert every.returncode == OK, every.stderr
    assert _details(every) == ["d6th", "d5th", "d4th", "d3rd", "cmd", "d1st"]
    assert "6 events shown, newest first." in every.stdout
    assert _details(cli("audit", "--user", "ALICE")) == ["d3rd", "cmd", "d1st"]
    assert _details(cli("audit", "--user-id", str(alice_id), "--type", "login")) == [
        "cmd",
        "d1st",
    ]
    assert _details(cli("audit", "--outcome", "throttled")) == ["d5th"]
    assert _details(cli("audit", "--ip", "10.0.0.3")) == ["d5th", "d4th"]
    ranged = cli("audit", "--since", "2026-02-01T01:00", "--until", "2026-02-01T03:00:00+00:00")
    assert _details(ranged) == ["d3rd", "cmd"]
    limited = cli("audit", "--limit", "2")
    assert _details(limited) == ["d6th", "d5th"]
    assert "more match" in limited.stdout


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (("--user", "nobody"), NOT_FOUND, "no user named 'nobody'"),
        (("--type", "hack"), REFUSED, "valid types: signup, login"),
        (("--outcome", "maybe"), REFUSED, "success, failure, throttled"),
        (("--since", "yesterday"), REFUSED, "not a date or date-time"),
        (("--since", "2026-02-02", "--until", "2026-02-01"), REFUSED, "after its start"),
        (("--user", "alice", "--user-id", "1"), REFUSED, "not both"),
        (("--limit", "0"), USAGE, ""),
    ],
)
def test_refusals(cli: Cli, alice_id: int, args: tuple[str, ...], code: int, says: str) -> None:
    done = cli("audit", *args)
    assert done.returncode == code, done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_csv_export(cli: Cli, alice_id: int, engine: sa.Engine) -> None:
    done = cli("audit", "--csv", "--user", "alice")
    assert done.returncode == OK, done.stderr
    table = list(csv.reader(io.StringIO(done.stdout)))
    assert table[0] == list(audit_export.COLUMNS)
    assert [row[7] for row in table[1:]] == ["d3rd", "'=cmd|' /C calc'!A0", "d1st"]
    assert table[1][:6] == [
        (BASE + dt.timedelta(hours=2)).isoformat(),
        "logout",
        "success",
        str(alice_id),
        "alice",
        "10.0.0.2",
    ]
    with Session(engine) as session:
        assert session.get(User, alice_id) is not None
    assert len(list(csv.reader(io.StringIO(cli("audit", "--csv", "--limit", "2").stdout)))) == 3
