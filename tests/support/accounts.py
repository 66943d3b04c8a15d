"""Test accounts: the one shared password, unique names, and accounts made the quick way."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from nfp_app.infra import db
from nfp_app.services import accounts
from tests.support.live_app import LiveApp
from tests.support.prod_app import ROOT

# Valid under the policy for every name the tests use; tests that need a second password name
# it for its role (NEW_PASSWORD, OTHER_PASSWORD).
PASSWORD = "plum-Harbor-47-lantern"


def unique_name(prefix: str = "u") -> str:
    """A username no other test (or earlier run on the same database) uses; at most 32 long."""
    name = f"{prefix}_{secrets.token_hex(5)}"
    assert len(name) <= 32, f"prefix {prefix!r} is too long for a username"
    return name


def create_user(
    app: LiveApp, username: str, password: str = PASSWORD, *, email: str | None = None
) -> None:
    """Store an ordinary account straight in the live app's database (faster than the UI)."""
    with db.session_scope(db.engine_for(app.database_url)) as session:
        accounts.create_user(session=session, username=username, password=password, email=email)


def run_cli(app: LiveApp, *arguments: str, password: str = PASSWORD) -> str:
    """Run an operator command (`python -m nfp_app ...`) on the live app's database; its output."""
    env = {
        **os.environ,
        "DATABASE_URL": app.database_url,
        "SECRET_KEY": app.secret_key,
        "BCRYPT_ROUNDS": "4",
        "NFP_APP_PASSWORD": password,
    }
    result = subprocess.run(
        [sys.executable, "-m", "nfp_app", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def make_admin(app: LiveApp, username: str, password: str = PASSWORD) -> None:
    """Create an administrator with the operator CLI, as a deployment would."""
    output = run_cli(app, "create-admin", username, password=password)
    assert f"Created administrator {username!r}" in output
