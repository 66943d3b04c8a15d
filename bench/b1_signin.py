"""B1: sign-ins per second against the hash ceiling, over the websocket and over POST /token.

The ceiling is cores ÷ the time of one password check at the configured cost, measured in this
run on this machine: no server can sign people in faster than it can check their passwords.
Usage: python -m bench.b1_signin [--smoke]
"""

from __future__ import annotations

import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.harness import (
    Figure,
    Plot,
    Section,
    median,
    percentile,
    run_from_command_line,
    timed,
)
from nfp_app.infra import db
from nfp_app.security import passwords
from nfp_app.state.auth import AuthState
from nfp_app.state.login import LoginState
from tests.support.live_app import LiveApp
from tests.support.postgres_server import postgres_server
from tests.support.prod_app import app_env, free_port, prod_app
from tests.support.redis_server import RedisServer
from tests.support.reflex_socket import (
    COOKIE_NAME,
    ReflexSocket,
    handler,
    reflex_socket,
    sign_in,
)

PASSWORD = "bench-password-123"  # noqa: S105  (throwaway accounts on a throwaway cluster)
ROUNDS = 12


def check_ms(repeat: int = 9) -> float:
    """The median time of one password check at the configured cost, in this process."""
    stored = passwords.hash_password(PASSWORD, rounds=ROUNDS)
    return median(
        timed(lambda: passwords.verify_password(PASSWORD, stored, rounds=ROUNDS), repeat=repeat)
    )


def ceiling_per_second(seconds: float = 6.0) -> float:
    """Password checks per second with one thread per core checking back to back.

    This is the ceiling as the machine delivers it now (turbo, other load), which one
    single-threaded timing times the core count would overstate or understate.
    """
    stored = passwords.hash_password(PASSWORD, rounds=ROUNDS)
    done = [0] * (os.cpu_count() or 1)
    stop_at = time.perf_counter() + seconds

    def checker(index: int) -> None:
        while time.perf_counter() < stop_at:
            passwords.verify_password(PASSWORD, stored, rounds=ROUNDS)
            done[index] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=checker, args=(i,)) for i in range(len(done))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


@dataclass(frozen=True)
class Level:
    """Sign-ins at one concurrency: how many per second, and how long each took."""

    channel: str
    concurrency: int
    per_second: float
    latencies_ms: list[float]
    errors: int


def drive(sign_in: Callable[[int], float], concurrency: int, seconds: float, channel: str) -> Level:
    """`concurrency` threads sign in back to back (thread i as account i) for `seconds`;
    each sign-in gives the milliseconds of its own measured part."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(index: int) -> None:
        while time.perf_counter() < stop_at:
            try:
                took = sign_in(index)
            except (AssertionError, TimeoutError, ConnectionError, httpx.HTTPError) as error:
                with lock:
                    errors.append(str(error)[:200])
                continue
            with lock:
                latencies.append(took)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Level(channel, concurrency, len(latencies) / elapsed, latencies, len(errors))


@contextmanager
def running_app(work: Path) -> Iterator[LiveApp]:
    """Our backend on PostgreSQL and Redis, with its default workers and hash cost."""
    server = postgres_server()
    with ExitStack() as stack:
        database_url = stack.enter_context(server).url
        redis = RedisServer(work)
        redis.start()
        stack.callback(redis.stop)
        db.migrate_to_head(database_url)
        port = free_port()
        secret = secrets.token_urlsafe(48)
        env = app_env(
            DATABASE_URL=database_url,
            REDIS_URL=redis.url,
            SECRET_KEY=secret,
            ALLOWED_ORIGINS=f"http://localhost:{port}",
            # Sixteen accounts from one address: the signup limits are not what is measured.
            SIGNUP_IP_LIMIT="0",
            SIGNUP_TOTAL_LIMIT="0",
        )
        env.pop("BCRYPT_ROUNDS", None)
        log = work / "app.log"
        url = stack.enter_context(
            prod_app(env=env, log=log, backend_only=True, port=port, startup_seconds=300)
        )
        yield LiveApp(base_url=url, database_url=database_url, secret_key=secret, log_path=log)


def accounts(app: LiveApp, count: int) -> list[str]:
    """`count` new accounts."""
    names = [f"b1_{secrets.token_hex(4)}" for _ in range(count)]
    for name in names:
        answer = httpx.post(
            app.url("/users/"), json={"username": name, "password": PASSWORD}, timeout=60
        )
        answer.raise_for_status()
    return names


def over_rest(app: LiveApp, names: list[str]) -> Callable[[int], float]:
    """One sign-in: POST /token as account i, on thread i's keep-alive connection.

    A script reuses its connection; a new client per request would spend ~20 ms of this
    machine's CPU on the client side, which counts against the same two cores.
    """
    clients = [httpx.Client(base_url=app.base_url, timeout=120) for _ in names]

    def sign_in(index: int) -> float:
        form = {"username": names[index], "password": PASSWORD}
        sent = time.perf_counter()
        clients[index].post("/token", data=form).raise_for_status()
        return (time.perf_counter() - sent) * 1000

    return sign_in


def over_socket(
    app: LiveApp, names: list[str], sockets: list[ReflexSocket]
) -> Callable[[int], float]:
    """One sign-in as the browser does it, over tab i's websocket: the login form's submit, its
    handoff URL, the cookie beacon's GET (which sets the session cookie), and finish_handoff,
    until the tab's state has cleared the handoff."""
    clients = [httpx.Client(base_url=app.base_url, timeout=120) for _ in sockets]

    def sign_in(index: int) -> float:
        socket, client = sockets[index], clients[index]
        form = {"username": names[index], "password": PASSWORD}
        since = len(socket.messages)
        sent = time.perf_counter()
        socket.send(handler(LoginState, "submit"), {"form_data": form}, path="/login")
        url = socket.wait_delta("handoff_url", since=since, limit=120)
        beacon = client.get(
            url, headers={"Cookie": socket.binding, "Sec-Fetch-Site": "same-origin"}
        )
        if beacon.status_code != 303 or COOKIE_NAME not in beacon.cookies:
            raise AssertionError(f"the cookie beacon answered {beacon.status_code}")
        since = len(socket.messages)
        socket.send(handler(AuthState, "finish_handoff"), path="/login")
        socket.wait_delta("handoff_url", since=since, limit=120, accept=lambda value: value == "")
        return (time.perf_counter() - sent) * 1000

    return sign_in


def figures(ceiling: float, check: float, levels: list[Level]) -> list[Figure]:
    """The best throughput of each channel against the ceiling."""
    out = []
    for channel in sorted({level.channel for level in levels}):
        mine = [level for level in levels if level.channel == channel]
        best = max(mine, key=lambda level: level.per_second)
        out.append(
            Figure(
                key="B1",
                what=f"sign-ins/s over {channel} (best, at {best.concurrency} concurrent)",
                value=best.per_second,
                unit="/s",
                baseline=ceiling,
                baseline_what=(
                    f"{os.cpu_count()} threads checking passwords ({check:.0f} ms per check)"
                ),
                target=0.9,
                higher_is_better=True,
            )
        )
    return out


def details(ceiling: float, check: float, levels: list[Level], seconds: float) -> str:
    """How B1 was measured, and every level."""
    rows = []
    for lv in levels:
        took = lv.latencies_ms or [0.0]
        rows.append(
            f"| {lv.channel} | {lv.concurrency} | {lv.per_second:.2f} "
            f"| {lv.per_second / ceiling:.2f} | {median(took):,.0f} "
            f"| {percentile(took, 0.95):,.0f} | {len(lv.latencies_ms)} | {lv.errors} |"
        )
    return "\n".join(
        [
            f"One password check at cost {ROUNDS} takes {check:.0f} ms here (median of 9); "
            f"{os.cpu_count()} threads checking back to back for 6 s manage "
            f"{ceiling:.2f} checks/s, "
            "which is the ceiling: no server signs people in faster than it checks passwords. "
            "Our backend (one `reflex run --env prod --backend-only`, its default worker count, "
            "Redis state, PostgreSQL) then takes sign-ins from N client threads, back to back for "
            f"{seconds:g} s per level, each thread as its own account, after a warm-up sign-in.",
            "",
            "- **POST /token:** the REST sign-in; it hashes, writes the session row and answers "
            "a bearer token.",
            "- **websocket:** what the browser does, over a Socket.IO client speaking Reflex's "
            "event protocol: the login form's `submit` event, its handoff URL in the reply, the "
            "cookie beacon's GET that sets the HttpOnly session cookie, and `finish_handoff`, "
            "until the tab's state has cleared the handoff. The time covers all four steps.",
            "",
            "| channel | concurrent | sign-ins/s | of ceiling | p50 ms | p95 ms | sign-ins "
            "| errors |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )


def plots(ceiling: float, levels: list[Level]) -> list[Plot]:
    """Throughput and latency against concurrency, per channel."""
    channels = sorted({level.channel for level in levels})
    concurrencies = sorted({level.concurrency for level in levels})

    def series(value: Callable[[Level], float]) -> dict[str, list[tuple[float, float]]]:
        return {
            channel: [(lv.concurrency, value(lv)) for lv in levels if lv.channel == channel]
            for channel in channels
        }

    throughput = series(lambda lv: lv.per_second)
    throughput["ceiling"] = [(c, ceiling) for c in concurrencies]
    latency = {
        f"{name} {label}": points
        for label, fraction in (("p50", 0.5), ("p95", 0.95))
        for name, points in series(
            lambda lv, fraction=fraction: percentile(lv.latencies_ms or [0.0], fraction)
        ).items()
    }
    return [
        Plot(
            "b1_throughput",
            "B1 sign-ins per second",
            "concurrent clients",
            "sign-ins/s",
            throughput,
            log_x=True,
        ),
        Plot("b1_latency", "B1 sign-in latency", "concurrent clients", "ms", latency, log_x=True),
    ]


def measure(levels: list[int], seconds: float) -> tuple[float, float, list[Level]]:
    """Measure the check, start the app, drive each channel at each concurrency."""
    check = check_ms()
    ceiling = ceiling_per_second()
    results: list[Level] = []
    with tempfile.TemporaryDirectory(prefix="nfp-b1-") as tmp, running_app(Path(tmp)) as app:
        names = accounts(app, max(levels))
        rest = over_rest(app, names)
        rest(0)  # warm-up
        for concurrency in levels:
            results.append(drive(rest, concurrency, seconds, "POST /token"))
        with ExitStack() as stack:
            sockets = [stack.enter_context(reflex_socket(app)) for _ in range(max(levels))]
            for socket, name in zip(sockets, names, strict=True):
                sign_in(socket, name, PASSWORD)  # hydrates the tab; also a warm-up
            socket_sign_in = over_socket(app, names, sockets)
            for concurrency in levels:
                results.append(drive(socket_sign_in, concurrency, seconds, "websocket"))
    return ceiling, check, results


def run(*, smoke: bool) -> Section:
    """B1 as one report section."""
    levels, seconds = ([1, 2], 1.0) if smoke else ([1, 2, 4, 8, 16], 10.0)
    ceiling, check, results = measure(levels, seconds)
    return Section(
        key="B1",
        title="sign-in against the hash ceiling",
        figures=figures(ceiling, check, results),
        markdown=details(ceiling, check, results, seconds),
        plots=plots(ceiling, results),
    )


if __name__ == "__main__":
    run_from_command_line(run, __doc__)
