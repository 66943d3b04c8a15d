"""B5: REST requests per second against the tutorial's stateless FastAPI design.

Both apps run under Granian with the same worker count on the same PostgreSQL, with the same
bcrypt cost; ours checks its session row on every `GET /users/me/`, the baseline does not.
Usage: python -m bench.b5_rest [--workers 1,2,4] [--seconds 10] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.harness import Figure, percentile, table
from nfp_app.infra import db
from tests.support.postgres_server import postgres_server
from tests.support.prod_app import AppDidNotStartError, app_env, free_port, prod_app
from tests.support.redis_server import RedisServer

PASSWORD = "bench-password-123"  # noqa: S105  (a throwaway account on a throwaway cluster)
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Load:
    """One route under load: successful requests, errors, seconds and latencies."""

    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        """Successful requests per second."""
        return self.requests / self.seconds


async def load(
    send: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]],
    base_url: str,
    *,
    concurrency: int,
    seconds: float,
) -> Load:
    """`concurrency` clients send requests back to back for `seconds`."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        started = time.perf_counter()
        stop_at = started + seconds

        async def client_loop() -> None:
            nonlocal errors
            while time.perf_counter() < stop_at:
                sent = time.perf_counter()
                response = await send(client)
                if response.status_code == 200:
                    latencies.append((time.perf_counter() - sent) * 1000)
                else:
                    errors += 1

        await asyncio.gather(*(client_loop() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Load(len(latencies), errors, elapsed, latencies)


async def measure(
    base_url: str, username: str, *, concurrency: int, seconds: float
) -> tuple[Load, Load]:
    """Warm up, then load POST /token and GET /users/me/ in turn."""
    form = {"username": username, "password": PASSWORD}
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        answer = await client.post("/token", data=form)
        answer.raise_for_status()
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        for _ in range(20):
            (await client.get("/users/me/", headers=headers)).raise_for_status()
    token = await load(
        lambda c: c.post("/token", data=form), base_url, concurrency=concurrency, seconds=seconds
    )
    me = await load(
        lambda c: c.get("/users/me/", headers=headers),
        base_url,
        concurrency=concurrency,
        seconds=seconds,
    )
    return token, me


@contextmanager
def ours(work: Path, workers: int, database_url: str, redis_url: str) -> Iterator[str]:
    """Our production backend with `workers` Granian workers."""
    port = free_port()
    env = app_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        WEB_WORKERS=str(workers),
        ALLOWED_ORIGINS=f"http://localhost:{port}",
    )
    env.pop("BCRYPT_ROUNDS", None)
    log = work / f"ours-{workers}.log"
    try:
        with prod_app(env=env, log=log, backend_only=True, port=port, startup_seconds=300) as url:
            yield url
    except AppDidNotStartError as error:
        sys.exit(str(error))


@contextmanager
def baseline(work: Path, workers: int, database_url: str) -> Iterator[str]:
    """The tutorial baseline (bench/baseline_fastapi) under Granian."""
    port = free_port()
    env = {**os.environ, "BASELINE_DB_URL": database_url, "BCRYPT_ROUNDS": "12"}
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "bench.baseline_fastapi.app:app",
    ]
    with (work / f"baseline-{workers}.log").open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/docs", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(20)


def create_accounts(database_url: str, username: str) -> None:
    """One account in each app's table, with a cost-12 bcrypt hash."""
    os.environ["BASELINE_DB_URL"] = database_url
    from bench.baseline_fastapi import app as baseline_app  # reads the URL at import

    baseline_app.create_user(username, PASSWORD)


def figures(results: dict[int, dict[str, tuple[Load, Load]]]) -> list[Figure]:
    """One figure per worker count and route: our requests per second ÷ the baseline's."""
    out: list[Figure] = []
    for workers, pair in sorted(results.items()):
        (our_token, our_me), (base_token, base_me) = pair["ours"], pair["baseline"]
        for route, mine, theirs, target in (
            ("POST /token", our_token, base_token, None),
            ("GET /users/me/", our_me, base_me, 0.8),
        ):
            out.append(
                Figure(
                    key="B5",
                    what=f"{route}, {workers} worker{'s' if workers > 1 else ''}",
                    value=mine.per_second,
                    unit="req/s",
                    baseline=theirs.per_second,
                    baseline_what="tutorial FastAPI",
                    target=target,
                    higher_is_better=True,
                    extra={
                        "p95_ms": percentile(mine.latencies_ms or [0.0], 0.95),
                        "baseline_p95_ms": percentile(theirs.latencies_ms or [0.0], 0.95),
                        "errors": mine.errors + theirs.errors,
                    },
                )
            )
    return out


def run(workers: list[int], *, seconds: float, concurrency: int) -> list[Figure]:
    """Start PostgreSQL and Redis, then each app at each worker count in turn."""
    results: dict[int, dict[str, tuple[Load, Load]]] = {}
    username = f"bench_{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix="nfp-b5-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        database_url = stack.enter_context(postgres_server()).url
        redis = RedisServer(work)
        redis.start()
        stack.callback(redis.stop)
        db.migrate_to_head(database_url)
        create_accounts(database_url, username)
        first = True
        for count in workers:
            with ours(work, count, database_url, redis.url) as url:
                if first:
                    httpx.post(
                        f"{url}/users/", json={"username": username, "password": PASSWORD}
                    ).raise_for_status()
                    first = False
                mine = asyncio.run(measure(url, username, concurrency=concurrency, seconds=seconds))
            with baseline(work, count, database_url) as url:
                theirs = asyncio.run(
                    measure(url, username, concurrency=concurrency, seconds=seconds)
                )
            results[count] = {"ours": mine, "baseline": theirs}
    return figures(results)


def main() -> None:
    """Parse arguments, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    counts = [int(part) for part in args.workers.split(",") if part.strip()]
    print(table(run(counts, seconds=args.seconds, concurrency=args.concurrency)))


if __name__ == "__main__":
    main()
