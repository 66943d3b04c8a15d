"""Fixtures for the REST API tests: a checked client, accounts and the bootstrap admin."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from nfp_app.infra import db
from nfp_app.services import accounts
from tests.support.accounts import make_admin, unique_name
from tests.support.api import PASSWORD, Account, no_hash_leaks, restore_admin, signup
from tests.support.live_app import LiveApp


@pytest.fixture(scope="session")
def live_engine(live_app: LiveApp) -> sa.Engine:
    """An engine on the live app's database, for changes no route makes (delete, password)."""
    db.migrate_to_head(live_app.database_url)  # the app migrates too; both may run, safely
    return db.engine_for(live_app.database_url)


@pytest.fixture(scope="session")
def api(live_app: LiveApp) -> Iterator[httpx.Client]:
    """An HTTP client on the live app that checks every response for hash leaks."""
    with httpx.Client(
        base_url=live_app.base_url, timeout=30, event_hooks={"response": [no_hash_leaks]}
    ) as client:
        yield client


@pytest.fixture
def account(api: httpx.Client) -> Account:
    """A new ordinary user."""
    return signup(api)


@pytest.fixture(scope="session")
def bootstrap_admin(live_app: LiveApp, live_engine: sa.Engine) -> Account:
    """An administrator, bootstrapped the way operators do it: with the CLI."""
    name = unique_name("admin")
    make_admin(live_app, name)
    with db.session_scope(live_engine) as session:
        user = accounts.find_by_username(session=session, username=name)
        assert user is not None
        assert user.id is not None
        return Account(id=user.id, username=name, password=PASSWORD)


@pytest.fixture
def admin(bootstrap_admin: Account, live_engine: sa.Engine) -> Account:
    """The bootstrap administrator, restored before each test."""
    restore_admin(live_engine, bootstrap_admin)
    return bootstrap_admin
