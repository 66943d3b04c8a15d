"""SEC-12: every security event leaves a row and a log line with UTC time, user, IP, outcome.

No row and no log line ever holds a password, a password hash or a token.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from nfp_app.infra import db
from nfp_app.infra.settings import PROJECT_DIR
from nfp_app.models import AuthEvent
from nfp_app.services import account_changes, accounts, session_ends, signin
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp
from tests.support.security import audit_rows, client, leaks

pytestmark = [pytest.mark.security]

NEW_PASSWORD = "another quiet river"
IP = "198.51.100.23"


def _fields(row: AuthEvent) -> tuple[str, str, str, str]:
    return row.event, row.outcome, row.username, row.ip


def _no_secrets(rows: list[AuthEvent], text: str, *secrets: str) -> None:
    for row in rows:
        dumped = json.dumps(row.model_dump(mode="json"))
        assert not leaks(dumped, PASSWORD, NEW_PASSWORD, *secrets), dumped
        assert row.created_at.utcoffset() == dt.timedelta(0)
    assert not leaks(text, PASSWORD, NEW_PASSWORD, *secrets)


def test_sec12_service_events(session: Session, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    root = accounts.create_user(
        session=session, username="root", password=PASSWORD, is_admin=True, actor="cli:ops"
    )
    user = accounts.create_user(session=session, username="alice", password=PASSWORD, ip=IP)
    session.commit()
    assert user.id is not None
    assert root.id is not None
    uid = user.id

    def attempt(password: str) -> signin.SignInResult:
        result = signin.sign_in(
            session=session,
            username="alice",
            password=password,
            persistent=False,
            binding="a browser",
            ip=IP,
        )
        session.commit()
        return result

    signed_in = attempt(PASSWORD)
    assert isinstance(signed_in, signin.SignedIn)
    for _ in range(5):
        attempt("wrong password!")
    assert isinstance(attempt(PASSWORD), signin.Throttled)
    session_ends.end(session=session, session_id=signed_in.started.session_id, ip=IP)
    session_ends.end(session=session, session_id=signed_in.started.session_id, ip=IP)  # once only
    account_changes.set_password(
        session=session, user_id=user.id, password=NEW_PASSWORD, actor="root"
    )
    for change in (
        lambda: account_changes.set_active(
            session=session, user_id=uid, active=False, actor="root", ip=IP
        ),
        lambda: account_changes.set_active(
            session=session, user_id=uid, active=True, actor="root", ip=IP
        ),
        lambda: account_changes.set_admin(
            session=session, user_id=uid, admin=True, actor="root", ip=IP
        ),
        lambda: account_changes.set_admin(
            session=session, user_id=uid, admin=False, actor="root", ip=IP
        ),
        lambda: account_changes.revoke_sessions(session=session, user_id=uid, actor="root", ip=IP),
        lambda: account_changes.delete_user(session=session, user_id=uid, actor="root", ip=IP),
    ):
        change()
        session.commit()

    rows = audit_rows(session)
    assert [(r.event, r.outcome) for r in rows] == [
        ("signup", "success"),
        ("signup", "success"),
        ("login", "success"),
        *[("login", "failure")] * 5,
        ("login", "throttled"),
        ("logout", "success"),
        ("password_change", "success"),
        ("user_disable", "success"),
        ("user_enable", "success"),
        ("user_promote", "success"),
        ("user_demote", "success"),
        ("sessions_revoke", "success"),
        ("user_delete", "success"),
    ]
    assert (rows[0].username, rows[0].detail) == ("root", "administrator by cli:ops")
    assert all(_fields(r)[2:] == ("alice", IP) for r in rows[1:10])
    assert rows[0].user_id == root.id
    # alice was deleted last: her rows keep her name, the foreign key turned to NULL.
    assert all(r.user_id is None for r in rows[1:])
    assert rows[-1].username == "alice"
    assert all(r.detail == "by root" for r in rows[10:])
    log_fields = [getattr(r, "fields", {}) for r in caplog.records if r.name == "nfp_app.audit"]
    assert len(log_fields) == len(rows)
    for entry in log_fields:
        assert {"time", "event", "outcome", "user_id", "username", "ip"} <= entry.keys()
        assert dt.datetime.fromisoformat(entry["time"]).utcoffset() == dt.timedelta(0)
    _no_secrets(rows, caplog.text, signed_in.started.handoff_code)


def test_sec12_cli_admin_actions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/audit.db"
    env = {**os.environ, "DATABASE_URL": url, "NFP_APP_PASSWORD": PASSWORD}
    commands = [
        ["create-admin", "root"],
        ["create-user", "bob"],
        ["set-password", "bob"],
        ["disable", "bob", "--reason", "sec12 check"],
        ["enable", "bob", "--reason", "sec12 check"],
        ["promote", "bob", "--reason", "sec12 check"],
        ["demote", "bob", "--reason", "sec12 check"],
        ["revoke-sessions", "bob", "--reason", "sec12 check"],
        ["delete", "bob", "--yes"],
    ]
    output = ""
    for command in commands:
        done = subprocess.run(
            [sys.executable, "-m", "nfp_app", *command],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        output += done.stdout + done.stderr
    engine = db.engine_for(url)
    with Session(engine) as session:
        rows = audit_rows(session)
    engine.dispose()
    assert [r.event for r in rows] == [
        "signup",
        "signup",
        "password_change",
        "user_disable",
        "user_enable",
        "user_promote",
        "user_demote",
        "sessions_revoke",
        "user_delete",
    ]
    assert all(r.outcome == "success" and "by cli" in r.detail for r in rows)
    _no_secrets(rows, output)


@pytest.mark.postgres
def test_sec12_rest_events(live_app: LiveApp) -> None:
    name, admin_name = unique_name("aud"), unique_name("audadm")
    engine = db.engine_for(live_app.database_url)
    with db.session_scope(engine) as session:
        accounts.create_user(session=session, username=admin_name, password=PASSWORD, is_admin=True)
    with client(live_app.base_url) as http:
        created = http.post("/users/", json={"username": name, "password": PASSWORD})
        user_id = created.json()["id"]
        assert (
            http.post("/token", data={"username": name, "password": "wrong pw!"}).status_code == 401
        )
        token = http.post("/token", data={"username": name, "password": PASSWORD}).json()
        admin = http.post("/token", data={"username": admin_name, "password": PASSWORD}).json()
        admin_auth = {"Authorization": f"Bearer {admin['access_token']}"}
        assert (
            http.patch(f"/users/{user_id}", json={"is_admin": True}, headers=admin_auth).status_code
            == 200
        )
        auth = {"Authorization": f"Bearer {token['access_token']}"}
        assert http.post("/logout", headers=auth).status_code == 204
    with Session(engine) as session:
        rows = [r for r in audit_rows(session) if r.username in (name, admin_name)]
    engine.dispose()
    mine = [(r.event, r.outcome, r.username) for r in rows if r.username == name]
    assert mine == [
        ("signup", "success", name),
        ("login", "failure", name),
        ("login", "success", name),
        ("user_promote", "success", name),
        ("logout", "success", name),
    ]
    assert all(r.ip in ("127.0.0.1", "::1") for r in rows if r.username == name)
    assert [r.detail for r in rows if r.event == "user_promote"] == [f"by {admin_name}"]
    _no_secrets(rows, "", token["access_token"], admin["access_token"])
