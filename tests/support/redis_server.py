"""A redis-server of a test's own on a free loopback port, which can be stopped and restarted.

Like the suite's shared Redis (scripts/_services.sh) it keeps nothing on disk, so a restart
starts empty: what a Redis without persistence (or a failover to an empty replica) does.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.support.prod_app import free_port

START_SECONDS = 10.0


class RedisServer:
    """One redis-server process on a fixed port."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = workdir / "redis.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start the server and wait until it answers PING."""
        assert not self.running, "redis-server is already running"
        executable = shutil.which("redis-server")
        assert executable, "redis-server is not installed"
        command = [executable, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        with self.log.open("ab") as log_file:
            self._process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_SECONDS
        while not self.answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"redis-server did not start:\n{self.log.read_text()}")
            time.sleep(0.02)

    def answers(self) -> bool:
        """Whether the server answers PING right now."""
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server at once (SIGTERM; nothing is saved) and wait until it has exited."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def key_count(self) -> int:
        """How many keys the server holds."""
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)
        try:
            return int(client.dbsize())  # pyright: ignore[reportArgumentType]
        finally:
            client.close()


@contextmanager
def redis_server(workdir: Path) -> Iterator[RedisServer]:
    """A started RedisServer, stopped when the block ends."""
    server = RedisServer(workdir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A Redis of this test's own, which the test may stop and start again."""
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server
