"""Run `reflex run --env prod` as a subprocess on a free port: shared by the tests and bench/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class AppDidNotStartError(RuntimeError):
    """The app exited or did not answer in time; the message ends with its log."""


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_env(**settings: str) -> dict[str, str]:
    """This process's environment plus the app's: node from the venv, npm, no telemetry."""
    env = {
        **os.environ,
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        # As in scripts/_env.sh: npm must not add registry URLs to the committed lockfile.
        "npm_config_omit_lockfile_registry_resolved": "true",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    # `reflex run --env prod` sets the mode itself; an inherited "dev" would confuse settings.
    env.pop("REFLEX_ENV_MODE", None)
    # Separate build folders let several checkouts or agents run apps at once.
    if web_dir := os.environ.get("LIVE_APP_WEB_WORKDIR"):
        env["REFLEX_WEB_WORKDIR"] = web_dir
    env.update(settings)
    return env


def _wait_until_ready(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text()[-4000:]
            raise AppDidNotStartError(f"the app exited with {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AppDidNotStartError(f"no answer within {seconds} s:\n{log.read_text()[-4000:]}")


@contextmanager
def prod_app(
    *,
    env: dict[str, str],
    log: Path,
    backend_only: bool = False,
    startup_seconds: float = 240,
    root: Path = ROOT,
    port: int | None = None,
) -> Iterator[str]:
    """The app on a free port (or `port`) until the block ends; yields its base URL.

    `root` runs another checkout of the app, e.g. an older commit for a before/after benchmark.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod"]
    command += ["--backend-only"] if backend_only else ["--frontend-port", str(port)]
    command += ["--backend-port", str(port)]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # The built frontend bakes in its websocket URL, and cookies are per host: use localhost.
    base_url = f"http://localhost:{port}"
    try:
        ready = base_url + ("/ping" if backend_only else "/login")
        _wait_until_ready(ready, process, log, startup_seconds)
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
