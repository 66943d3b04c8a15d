"""Fixtures of the operator-command tests: each runs `python -m nfp_app` on a fresh database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from nfp_app.infra.settings import PROJECT_DIR
from tests.support.accounts import PASSWORD
from tests.support.cli import Cli, Run


@pytest.fixture
def url(engine: sa.Engine) -> str:
    """The database URL of this test's fresh database."""
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def cli(url: str) -> Cli:
    """Run the CLI in a new process on this test's database."""

    def run(*args: str, stdin: str = "", password: str | None = PASSWORD, **env: str) -> Run:
        environment = {**os.environ, "DATABASE_URL": url, **env}
        environment.pop("NFP_APP_PASSWORD", None)
        if password is not None:
            environment["NFP_APP_PASSWORD"] = password
        done = subprocess.run(
            [sys.executable, "-m", "nfp_app", *args],
            cwd=PROJECT_DIR,
            env=environment,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        return Run(done.returncode, done.stdout, done.stderr)

    return run
