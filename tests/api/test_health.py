"""/healthz and /readyz on the live production app, with a Redis of the test's own."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.support.live_app import LiveAppFactory
from tests.support.prod_app import free_port

pytestmark = [pytest.mark.api, pytest.mark.postgres]

# HEALTH_CHECK_TIMEOUT_SECONDS (2 by default) and some slack.
PROBE_LIMIT_SECONDS = 3.0


def test_probes_answer_with_each_check(api: httpx.Client) -> None:
    alive = api.get("/healthz")
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "redis": "not configured"},
    }
    assert ready.headers["Cache-Control"] == "no-store"
    assert ready.headers["X-Request-ID"]
    # Reflex's own health route answers from the same checks, in Reflex's shape.
    assert api.get("/_health").json() == {"status": True, "db": True, "redis": "NA"}


@contextmanager
def redis_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    """A throwaway Redis on a loopback port, without persistence."""
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, check=False
            ).stdout.strip()
            != b"PONG"
        ):
            assert time.monotonic() < deadline, "Redis did not start"
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _redis_ping(port: int) -> bytes:
    ping = ["redis-cli", "-p", str(port), "ping"]
    return subprocess.run(ping, capture_output=True, check=False, timeout=10).stdout.strip()


def _ready(http: httpx.Client) -> httpx.Response:
    started = time.monotonic()
    answer = http.get("/readyz")
    assert time.monotonic() - started < PROBE_LIMIT_SECONDS
    return answer


def test_readiness_follows_redis(live_app_factory: LiveAppFactory) -> None:
    port = free_port()
    settings = {
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "WEB_WORKERS": "1",
        # Probes come by IP address; every other request must name the app's host.
        "ALLOWED_HOSTS": "localhost",
    }
    with redis_server(port) as redis, live_app_factory(**settings) as app:
        host = {"Host": "10.0.0.7"}
        with httpx.Client(base_url=app.base_url, timeout=30, headers=host) as http:
            assert http.get("/ping").status_code == 400
            assert http.get("/healthz").status_code == 200
            assert _ready(http).json()["checks"]["redis"] == "ok"
            redis.terminate()
            redis.wait(timeout=10)
            down = _ready(http)
            assert down.status_code == 503
            assert down.headers["Retry-After"].isdigit()
            assert down.json()["status"] == "unavailable"
            assert down.json()["checks"]["redis"] in ("failed", "timeout")
            assert down.json()["checks"]["database"] == "ok"
            assert http.get("/healthz").status_code == 200
            with redis_server(port):
                # Reflex's health client reconnects by itself: no dead connection is kept.
                deadline = time.monotonic() + 10
                while _ready(http).status_code != 200:
                    assert time.monotonic() < deadline, "not ready again after Redis came back"
                    time.sleep(0.1)
