"""Requests per second of POST /token and GET /users/me/ on one production worker.

Starts its own `reflex run --env prod` on a free port with a temporary SQLite database and the
default BCRYPT_ROUNDS (12), then drives it with concurrent httpx async clients on loopback.
Usage, from the project folder:
    python -m bench.rest_load [--concurrency 8] [--seconds 15] [--max-requests 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.prod_app import AppDidNotStartError, app_env, prod_app

PASSWORD = "bench-password-123"  # noqa: S105  (a throwaway account on a temp database)


@dataclass(frozen=True)
class Result:
    """What one phase measured."""

    name: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    def line(self) -> str:
        """One Markdown table row."""
        lat = sorted(self.latencies_ms) or [0.0]
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        return (
            f"| {self.name} | {self.requests} | {self.errors} | {self.seconds:.1f} "
            f"| {self.requests / self.seconds:.1f} | {statistics.median(lat):.1f} | {p95:.1f} |"
        )


@contextmanager
def running_app(work: Path) -> Iterator[str]:
    """A production app with one worker on a fresh SQLite database; yields its URL."""
    env = app_env(
        DATABASE_URL=f"sqlite:///{work / 'bench.db'}",
        SECRET_KEY=secrets.token_urlsafe(48),
        REFLEX_STATES_WORKDIR=str(work / "states"),
        WEB_WORKERS="1",
    )
    for name in ("BCRYPT_ROUNDS", "REDIS_URL", "REFLEX_REDIS_URL"):
        env.pop(name, None)  # the defaults are what is measured: 12 rounds, one worker
    try:
        with prod_app(env=env, log=work / "reflex.log", startup_seconds=300) as base_url:
            yield base_url
    except AppDidNotStartError as error:
        sys.exit(str(error))


async def run_phase(
    name: str,
    request: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]],
    client: httpx.AsyncClient,
    *,
    concurrency: int,
    seconds: float,
    max_requests: int,
) -> Result:
    """Send requests from `concurrency` workers until the time or request budget runs out."""
    latencies: list[float] = []
    errors = 0
    started = time.perf_counter()
    stop_at = started + seconds

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < stop_at and len(latencies) + errors < max_requests:
            t0 = time.perf_counter()
            response = await request(client)
            if response.status_code == 200:
                latencies.append((time.perf_counter() - t0) * 1000)
            else:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return Result(name, len(latencies), errors, elapsed, latencies)


async def measure(base: str, concurrency: int, seconds: float, max_requests: int) -> list[Result]:
    """Create a user, then load POST /token and GET /users/me/ in turn."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        name = f"bench_{secrets.token_hex(4)}"
        created = await client.post("/users/", json={"username": name, "password": PASSWORD})
        created.raise_for_status()
        form = {"username": name, "password": PASSWORD}
        token = (await client.post("/token", data=form)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        budget = {"concurrency": concurrency, "seconds": seconds, "max_requests": max_requests}
        login = await run_phase(
            "POST /token", lambda c: c.post("/token", data=form), client, **budget
        )
        me = await run_phase(
            "GET /users/me/", lambda c: c.get("/users/me/", headers=headers), client, **budget
        )
        return [login, me]


def main() -> None:
    """Parse arguments, start the app, measure, print a Markdown table, stop the app."""
    parser = argparse.ArgumentParser(description="REST throughput on one worker.")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--max-requests", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nfp-bench-") as tmp, running_app(Path(tmp)) as base:
        results = asyncio.run(measure(base, args.concurrency, args.seconds, args.max_requests))
    print(f"concurrency {args.concurrency}, up to {args.seconds:.0f} s per route")
    print("| route | requests | errors | seconds | req/s | median ms | p95 ms |")
    print("|---|---|---|---|---|---|---|")
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
