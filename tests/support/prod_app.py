"""Run `reflex run --env prod` as a subprocess on a free port: shared by the tests and bench/.

`AppProcess` can be stopped with SIGTERM and started again on the same port, with the same
settings, database and folders, as an operator restarts a deployment.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# How long a stopped app may take to exit before it is killed.
STOP_SECONDS = 30.0


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


def answers(url: str) -> bool:
    """Whether the URL answers 200 within 2 s."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


class AppProcess:
    """One production app on a fixed port, which can be stopped and started again."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        log: Path,
        backend_only: bool = False,
        startup_seconds: float = 240,
        root: Path = ROOT,
        port: int | None = None,
    ) -> None:
        self.env = env
        self.log = log
        self.backend_only = backend_only
        self.startup_seconds = startup_seconds
        self.root = root
        self.port = port or free_port()
        # The built frontend bakes in its websocket URL, and cookies are per host: use localhost.
        self.base_url = f"http://localhost:{self.port}"
        self.starts = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def ready_url(self) -> str:
        """The URL that answers 200 once the app serves."""
        return self.base_url + ("/ping" if self.backend_only else "/login")

    @property
    def running(self) -> bool:
        """Whether the app's main process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> float:
        """Start the app and wait until it answers; the seconds that took."""
        assert not self.running, "the app is already running"
        command = [sys.executable, "-m", "reflex", "run", "--env", "prod"]
        command += ["--backend-only"] if self.backend_only else ["--frontend-port", str(self.port)]
        command += ["--backend-port", str(self.port)]
        # Later starts append, so the log keeps every run of the app.
        with self.log.open("ab" if self.starts else "wb") as log_file:
            if self.starts:
                log_file.write(f"\n===== start {self.starts + 1} =====\n".encode())
                log_file.flush()
            started = time.monotonic()
            self._process = subprocess.Popen(
                command,
                cwd=self.root,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        self._wait_until_ready()
        return time.monotonic() - started

    def _wait_until_ready(self) -> None:
        process = self._process
        assert process is not None
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = self.log.read_text()[-4000:]
                raise AppDidNotStartError(f"the app exited with {process.returncode}:\n{tail}")
            if answers(self.ready_url):
                return
            time.sleep(0.2)
        self.kill()
        raise AppDidNotStartError(
            f"no answer within {self.startup_seconds} s:\n{self.log.read_text()[-4000:]}"
        )

    def terminate(self) -> None:
        """Send SIGTERM to the app's processes, as an operator's stop does; do not wait."""
        if self.running and self._process is not None:
            with suppress(ProcessLookupError):  # it has just exited
                os.killpg(self._process.pid, signal.SIGTERM)

    def wait(self, seconds: float = STOP_SECONDS) -> int:
        """Wait until the app has exited; its exit code. Raises TimeoutExpired."""
        assert self._process is not None, "the app never started"
        return self._process.wait(timeout=seconds)

    def kill(self) -> None:
        """Kill the app's whole process group at once."""
        if self._process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()

    def stop(self, seconds: float = STOP_SECONDS) -> int:
        """SIGTERM, then wait for the exit (killing the app after `seconds`); the exit code."""
        self.terminate()
        try:
            return self.wait(seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def restart(self) -> float:
        """Stop the app gracefully and start it again; the seconds until it answered again."""
        self.stop()
        return self.start()


@contextmanager
def app_process(
    *,
    env: dict[str, str],
    log: Path,
    backend_only: bool = False,
    startup_seconds: float = 240,
    root: Path = ROOT,
    port: int | None = None,
) -> Iterator[AppProcess]:
    """A started `AppProcess`, stopped (or killed) when the block ends."""
    process = AppProcess(
        env=env,
        log=log,
        backend_only=backend_only,
        startup_seconds=startup_seconds,
        root=root,
        port=port,
    )
    try:
        process.start()
        yield process
    finally:
        with suppress(subprocess.TimeoutExpired):  # then stop() has killed it
            process.stop(20)


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
    with app_process(
        env=env,
        log=log,
        backend_only=backend_only,
        startup_seconds=startup_seconds,
        root=root,
        port=port,
    ) as process:
        yield process.base_url
