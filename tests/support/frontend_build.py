"""The production frontend, built once per run before the first frontend app starts.

On a fresh machine the first build downloads and installs the npm packages. That takes minutes
there, and used to count against the per-test timeout of whichever test first started
`live_app`. pytest's timeout covers test bodies only (`timeout_func_only` in pyproject.toml),
so this fixture sets its own, generous, limit.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.prod_app import ROOT, app_env

BUILD_SECONDS = 1200


class FrontendBuildError(RuntimeError):
    """The build failed or took too long; the message ends with its log."""


def build_frontend(log: Path, *, seconds: float = BUILD_SECONDS) -> None:
    """Compile the app, install its npm packages and build it, as `reflex run --env prod` does."""
    command = [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip"]
    # The export imports the app in production mode, which wants a secret; this one is unused.
    env = app_env(SECRET_KEY=secrets.token_urlsafe(48))
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        returncode = process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        # npm and vite run as children of reflex: stop the whole group.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise FrontendBuildError(
            f"the frontend build took over {seconds} s:\n{log.read_text()[-4000:]}"
        ) from None
    if returncode != 0:
        raise FrontendBuildError(
            f"the frontend build exited with {returncode}:\n{log.read_text()[-4000:]}"
        )


@pytest.fixture(scope="session")
def frontend_build(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The npm packages are installed and the frontend builds (in .web or LIVE_APP_WEB_WORKDIR)."""
    try:
        build_frontend(tmp_path_factory.mktemp("frontend_build") / "export.log")
    except FrontendBuildError as error:
        pytest.fail(str(error))
