"""B5: REST requests per second against the tutorial's stateless FastAPI design.

Both apps run under Granian with the same worker count on the same PostgreSQL, with the same
bcrypt cost; ours checks its session row on every `GET /users/me/`, the baseline does not.
Usage: python -m bench.b5_rest [--smoke]
"""

from __future__ import annotations

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

from bench.harness import Figure, Plot, Section, percentile, run_from_command_line
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
    seconds: float,
    concurrency: int = 8,
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


async def bearer_headers(base_url: str, username: str) -> dict[str, str]:
    """Sign in once and warm the routes up; the Authorization header of the session."""
    form = {"username": username, "password": PASSWORD}
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        answer = await client.post("/token", data=form)
        answer.raise_for_status()
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        for _ in range(50):
            (await client.get("/users/me/", headers=headers)).raise_for_status()
    return headers


def route_load(
    route: str, base_url: str, username: str, headers: dict[str, str], seconds: float
) -> Load:
    """One route of one app under CONCURRENCY clients for `seconds`."""
    if route == "POST /token":
        form = {"username": username, "password": PASSWORD}
        return asyncio.run(load(lambda c: c.post("/token", data=form), base_url, seconds=seconds))
    return asyncio.run(
        load(lambda c: c.get("/users/me/", headers=headers), base_url, seconds=seconds)
    )


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


ROUTES = ("POST /token", "GET /users/me/")
TARGETS = {"POST /token": None, "GET /users/me/": 0.8}


def combine(loads: list[Load]) -> Load:
    """The rounds of one route and app as one load."""
    return Load(
        sum(lo.requests for lo in loads),
        sum(lo.errors for lo in loads),
        sum(lo.seconds for lo in loads),
        [ms for lo in loads for ms in lo.latencies_ms],
    )


Results = dict[int, dict[str, dict[str, list[Load]]]]  # workers → route → app → rounds


def figures(results: Results) -> list[Figure]:
    """One figure per worker count and route: our requests per second ÷ the baseline's."""
    out: list[Figure] = []
    for workers, routes in sorted(results.items()):
        for route in ROUTES:
            mine, theirs = combine(routes[route]["ours"]), combine(routes[route]["baseline"])
            out.append(
                Figure(
                    key="B5",
                    what=f"{route}, {workers} worker{'s' if workers > 1 else ''}",
                    value=mine.per_second,
                    unit="req/s",
                    baseline=theirs.per_second,
                    baseline_what="tutorial FastAPI",
                    target=TARGETS[route],
                    higher_is_better=True,
                )
            )
    return out


# Measured in-process (httpx's ASGI transport, CPU time per request, this machine, quiet).
_WHY_MISSED = [
    (
        "Why `GET /users/me/` misses 0.8 with one or two workers: each worker is one CPU-bound "
        "Python process, and ours spends about twice the baseline's CPU per request (in-process, "
        "about 2.1 ms against 1.1 ms). About 1.1 ms of ours is the transaction: the session row and"
        " its user in one join, the 2FA flag, the pool's pre-ping; the baseline reads one user row."
        " About 0.5 ms is the middleware every request passes (request id and JSON log line, "
        "security headers, the request guard, the forwarded-scheme and served-by headers), routing "
        "and FastAPI's dependencies. The session read was three statements before this issue; one "
        "join made it two. With four workers the CPU is shared with PostgreSQL and both apps meet "
        "the same limit, and the ratio holds. Dropping the session check would make the route "
        "stateless like the tutorial's, and a revoked token would keep working until it expires."
    ),
    "",
]


def details(results: Results, *, rounds: int, seconds: float) -> str:
    """How B5 was measured, and every worker count."""
    rows = []
    for workers, routes in sorted(results.items()):
        for route in ROUTES:
            mine, theirs = combine(routes[route]["ours"]), combine(routes[route]["baseline"])
            per_round = " / ".join(
                f"{a.per_second:,.0f}:{b.per_second:,.0f}"
                for a, b in zip(routes[route]["ours"], routes[route]["baseline"], strict=True)
            )
            rows.append(
                f"| {workers} | {route} | {mine.per_second:,.1f} | {theirs.per_second:,.1f} "
                f"| {mine.per_second / theirs.per_second:.2f} "
                f"| {percentile(mine.latencies_ms or [0.0], 0.5):,.1f} "
                f"/ {percentile(mine.latencies_ms or [0.0], 0.95):,.1f} "
                f"| {percentile(theirs.latencies_ms or [0.0], 0.5):,.1f} "
                f"/ {percentile(theirs.latencies_ms or [0.0], 0.95):,.1f} "
                f"| {per_round} | {mine.errors + theirs.errors} |"
            )
    return "\n".join(
        [
            "Both apps run at the same time under Granian with the same worker count, on one "
            "throwaway PostgreSQL, with bcrypt cost 12. The baseline, `bench/baseline_fastapi`, "
            "is the tutorial's design: FastAPI, PyJWT, passlib bcrypt, one `user` table, and a "
            "`GET /users/me/` that decodes the JWT and reads the user. Ours also checks the "
            "session row (revocation, expiry, idle timeout) and the 2FA state on every request, "
            "in one transaction. Eight httpx async clients on loopback send requests back to "
            f"back; each route is loaded for {seconds:g} s per app, {rounds} rounds, alternating "
            "which app goes first, after a sign-in and 50 warm-up requests; the figure is all "
            "rounds together.",
            "",
            *(_WHY_MISSED if any(f.holds is False for f in figures(results)) else []),
            "| workers | route | ours req/s | baseline req/s | ratio | ours p50 / p95 ms "
            "| baseline p50 / p95 ms | per round (ours:baseline req/s) | errors |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )


def plots(results: Results) -> list[Plot]:
    """Requests per second against workers, per route and app."""
    out = []
    for index, route in enumerate(ROUTES):
        series = {
            app: [
                (float(workers), combine(routes[route][app]).per_second)
                for workers, routes in sorted(results.items())
            ]
            for app in ("ours", "baseline")
        }
        name = ("b5_token", "b5_me")[index]
        out.append(Plot(name, f"B5 {route}", "Granian workers", "requests/s", series))
    return out


def measure(workers: list[int], *, rounds: int, seconds: float) -> Results:
    """Start PostgreSQL and Redis, then both apps at each worker count, loaded in turn."""
    results: Results = {}
    username = f"bench_{secrets.token_hex(4)}"
    with tempfile.TemporaryDirectory(prefix="nfp-b5-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        database_url = stack.enter_context(postgres_server()).url
        redis = RedisServer(work)
        redis.start()
        stack.callback(redis.stop)
        db.migrate_to_head(database_url)
        create_accounts(database_url, username)
        for count in workers:
            with (
                ours(work, count, database_url, redis.url) as our_url,
                baseline(work, count, database_url) as base_url,
            ):
                if not results:
                    httpx.post(
                        f"{our_url}/users/", json={"username": username, "password": PASSWORD}
                    ).raise_for_status()
                apps = {
                    "ours": (our_url, asyncio.run(bearer_headers(our_url, username))),
                    "baseline": (base_url, asyncio.run(bearer_headers(base_url, username))),
                }
                found: dict[str, dict[str, list[Load]]] = {
                    route: {"ours": [], "baseline": []} for route in ROUTES
                }
                for round_number in range(rounds):
                    order = ["ours", "baseline"][:: 1 if round_number % 2 == 0 else -1]
                    for route in ROUTES:
                        for app in order:
                            url, headers = apps[app]
                            found[route][app].append(
                                route_load(route, url, username, headers, seconds)
                            )
                results[count] = found
    return results


def run(*, smoke: bool) -> Section:
    """B5 as one report section."""
    workers, rounds, seconds = ([1], 1, 1.0) if smoke else ([1, 2, 4], 3, 3.0)
    results = measure(workers, rounds=rounds, seconds=seconds)
    return Section(
        key="B5",
        title="REST against the tutorial's FastAPI app",
        figures=figures(results),
        markdown=details(results, rounds=rounds, seconds=seconds),
        plots=plots(results),
    )


if __name__ == "__main__":
    run_from_command_line(run, __doc__)
