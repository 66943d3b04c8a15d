"""Clients and accounts on the live production app, for the REST API tests."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
import sqlalchemy as sa

from nfp_app import account_changes, accounts, db
from tests.support.live_app import LiveApp

PASSWORD = "correct horse battery"
# Whatever a response says, it never carries a password hash or the column that holds one.
FORBIDDEN_IN_RESPONSES = ("$2b$", "$bcrypt-sha256$", "hashed_password")
_names = itertools.count()


def unique_name(prefix: str = "u") -> str:
    """A username no other test uses, within the 32-character limit."""
    return f"{prefix}{next(_names)}_{uuid.uuid4().hex[:8]}"


def _no_hash_leaks(response: httpx.Response) -> None:
    response.read()
    for marker in FORBIDDEN_IN_RESPONSES:
        assert marker not in response.text, f"{marker!r} in {response.request.url}"


@pytest.fixture(scope="session")
def live_engine(live_app: LiveApp) -> sa.Engine:
    """An engine on the live app's database, for changes no route makes (delete, password)."""
    db.migrate_to_head(live_app.database_url)  # the app migrates too; both may run, safely
    return db.engine_for(live_app.database_url)


@pytest.fixture(scope="session")
def api(live_app: LiveApp) -> Iterator[httpx.Client]:
    """An HTTP client on the live app that checks every response for hash leaks."""
    with httpx.Client(
        base_url=live_app.base_url, timeout=30, event_hooks={"response": [_no_hash_leaks]}
    ) as client:
        yield client


@dataclass(frozen=True)
class Account:
    """A user created through the API, with its password."""

    id: int
    username: str
    password: str


def signup(api: httpx.Client, username: str | None = None) -> Account:
    """Create a user with POST /users/."""
    name = username or unique_name()
    response = api.post("/users/", json={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return Account(id=response.json()["id"], username=name, password=PASSWORD)


def login(api: httpx.Client, account: Account) -> str:
    """A fresh bearer token for an account."""
    response = api.post("/token", data={"username": account.username, "password": account.password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def account(api: httpx.Client) -> Account:
    """A new ordinary user."""
    return signup(api)


@pytest.fixture(scope="session")
def bootstrap_admin(live_app: LiveApp, live_engine: sa.Engine) -> Account:
    """An administrator, bootstrapped the way operators do it: with the CLI."""
    name = unique_name("admin")
    env = {
        **os.environ,
        "DATABASE_URL": live_app.database_url,
        "SECRET_KEY": live_app.secret_key,
        "NFP_APP_PASSWORD": PASSWORD,
    }
    done = subprocess.run(
        [sys.executable, "-m", "nfp_app", "create-admin", name],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with db.session_scope(live_engine) as session:
        user = accounts.find_by_username(session=session, username=name)
        assert user is not None
        assert user.id is not None
        return Account(id=user.id, username=name, password=PASSWORD)


def restore_admin(engine: sa.Engine, account: Account) -> None:
    """Make the account an active administrator again, whatever earlier requests did."""
    with db.session_scope(engine) as session:
        account_changes.set_active(session=session, user_id=account.id, active=True)
        account_changes.set_admin(session=session, user_id=account.id, admin=True)


@pytest.fixture
def admin(bootstrap_admin: Account, live_engine: sa.Engine) -> Account:
    """The bootstrap administrator, restored before each test."""
    restore_admin(live_engine, bootstrap_admin)
    return bootstrap_admin
