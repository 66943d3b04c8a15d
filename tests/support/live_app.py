"""One production-mode app per test session, on its own port and its own PostgreSQL database."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.databases import PostgresTemplate

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 240


@dataclass(frozen=True)
class LiveApp:
    """A running `reflex run --env prod`: where it answers and what it runs on."""

    base_url: str
    database_url: str
    secret_key: str
    log_path: Path

    def url(self, path: str) -> str:
        """An absolute URL on the app."""
        return self.base_url + path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the app did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-4000:]}")


@contextmanager
def start_live_app(
    postgres_template: PostgresTemplate,
    workdir: Path,
    *,
    backend_only: bool = False,
    **settings: str,
) -> Iterator[LiveApp]:
    """Run `reflex run --env prod` on an empty database with extra settings (env variables).

    With `backend_only` no frontend is built: the REST routes answer within seconds.
    """
    port = _free_port()
    # The built frontend bakes in its websocket URL, and cookies are per host: use localhost.
    base_url = f"http://localhost:{port}"
    database_url = postgres_template.create_database(migrated=False)
    secret_key = secrets.token_urlsafe(48)
    log = workdir / "reflex.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "BCRYPT_ROUNDS": os.environ.get("LIVE_APP_BCRYPT_ROUNDS", "4"),
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **settings,
    }
    env.pop("REFLEX_ENV_MODE", None)
    # Separate build folders let several checkouts or agents run live apps at once.
    if (web_dir := os.environ.get("LIVE_APP_WEB_WORKDIR")) and "REFLEX_WEB_WORKDIR" not in settings:
        env["REFLEX_WEB_WORKDIR"] = web_dir
    env["REFLEX_STATES_WORKDIR"] = str(workdir / "states")
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod"]
    command += ["--backend-only"] if backend_only else ["--frontend-port", str(port)]
    command += ["--backend-port", str(port)]
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
        _wait_until_ready(base_url + ("/ping" if backend_only else "/login"), process, log)
        yield LiveApp(
            base_url=base_url, database_url=database_url, secret_key=secret_key, log_path=log
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


LiveAppFactory = Callable[..., AbstractContextManager[LiveApp]]


@pytest.fixture(scope="session")
def live_app(
    postgres_template: PostgresTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The real app in production mode on an empty PostgreSQL database (it migrates itself)."""
    # The whole suite signs in from 127.0.0.1, and schemathesis alone makes hundreds of failed
    # sign-ins a minute: the per-IP limit would stop unrelated tests. Per-account limits keep
    # their defaults; tests/security checks the per-IP default on its own app.
    with start_live_app(
        postgres_template, tmp_path_factory.mktemp("live_app"), THROTTLE_IP_FAILURES="100000"
    ) as app:
        yield app


@pytest.fixture(scope="session")
def live_app_factory(
    postgres_template: PostgresTemplate, tmp_path_factory: pytest.TempPathFactory
) -> LiveAppFactory:
    """Start another live app with other settings: `with live_app_factory(NAME="value") as app`."""

    def start(*, backend_only: bool = True, **settings: str) -> AbstractContextManager[LiveApp]:
        workdir = tmp_path_factory.mktemp("extra_live_app")
        return start_live_app(postgres_template, workdir, backend_only=backend_only, **settings)

    return start
