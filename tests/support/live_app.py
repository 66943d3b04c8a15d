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
from collections.abc import Iterator
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


def _wait_until_ready(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(base_url + "/login", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"the app did not answer within {STARTUP_SECONDS} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def live_app(
    postgres_template: PostgresTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    """The real app in production mode on an empty PostgreSQL database (it migrates itself)."""
    port = _free_port()
    # The built frontend bakes in its websocket URL, and cookies are per host: use localhost.
    base_url = f"http://localhost:{port}"
    database_url = postgres_template.create_database(migrated=False)
    secret_key = secrets.token_urlsafe(48)
    log = tmp_path_factory.mktemp("live_app") / "reflex.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "BCRYPT_ROUNDS": os.environ.get("LIVE_APP_BCRYPT_ROUNDS", "4"),
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("REFLEX_ENV_MODE", None)
    # Separate build folders let several checkouts or agents run live apps at once.
    if web_dir := os.environ.get("LIVE_APP_WEB_WORKDIR"):
        env["REFLEX_WEB_WORKDIR"] = web_dir
    env["REFLEX_STATES_WORKDIR"] = str(log.parent / "states")
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reflex",
                "run",
                "--env",
                "prod",
                "--frontend-port",
                str(port),
                "--backend-port",
                str(port),
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_ready(base_url, process, log)
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
