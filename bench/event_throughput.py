"""Websocket events per second through the real app: one worker, then several on Redis.

Starts its own `reflex run --env prod --backend-only` for each set-up (one Granian worker with
Reflex's default disk state; then 1, 2 and 4 workers sharing state in Redis), opens many
simulated tabs (raw Socket.IO over websockets, as `tests/support/reflex_socket.py` speaks it),
and has every tab send one cheap event after another: Reflex's own `setvar` of `is_hydrated`,
which loads the tab's state, changes it, stores it and sends the delta back. Each tab waits for
its answer before it sends the next, so the figure is the app's throughput at that many tabs.
Events answered during the warm-up are not counted.

Usage, from the project folder (PostgreSQL recommended for several workers; without
--database-url a migrated temporary SQLite file is used, and without --redis-url a
redis-server of its own is started on a free port):
    python -m bench.event_throughput [--tabs 50] [--warmup 5] [--seconds 20] [--workers 1,2,4]
        [--redis-url redis://...] [--database-url postgresql+psycopg2://...] [--no-disk]
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import reflex as rx
import websocket

from nfp_app.infra import db
from tests.support.prod_app import AppDidNotStartError, app_env, free_port, prod_app
from tests.support.redis_server import RedisServer

NAMESPACE = "/_event"
SETVAR = f"{rx.State.get_full_name()}.setvar"


@dataclass
class Tally:
    """What the tabs measured, shared between their threads."""

    count_from: float
    stop_at: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class Result:
    """One set-up's figures."""

    setup: str
    workers: int
    tabs: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    def line(self) -> str:
        """One Markdown table row."""
        ordered = sorted(self.latencies_ms) or [0.0]
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return (
            f"| {self.setup} | {self.workers} | {self.tabs} | {len(self.latencies_ms)} "
            f"| {len(self.latencies_ms) / self.seconds:.0f} | {statistics.median(ordered):.1f} "
            f"| {p95:.1f} | {self.errors} |"
        )


def _receive(tab: websocket.WebSocket) -> str:
    """The next Socket.IO message, answering the server's pings on the way."""
    while True:
        message = tab.recv()
        text = message if isinstance(message, str) else message.decode()
        if text == "2":  # Engine.IO ping
            tab.send("3")
            continue
        return text


def _connect(base_url: str) -> websocket.WebSocket:
    """A tab's websocket, connected to Reflex's namespace, as the browser's client does."""
    ws_url = base_url.replace("http://", "ws://", 1)
    url = f"{ws_url}/_event/?EIO=4&transport=websocket&token={uuid.uuid4()}"
    tab = websocket.create_connection(url, origin=base_url, timeout=60)
    assert _receive(tab).startswith("0"), "no Engine.IO open packet"
    tab.send(f"40{NAMESPACE},")
    while not _receive(tab).startswith(f"40{NAMESPACE}"):
        pass
    return tab


def _event(value: bool) -> str:
    router_data = {"pathname": "/login", "query": {}, "asPath": "/login"}
    body = {"name": SETVAR, "payload": {"var_name": "is_hydrated", "value": value}}
    return f"42{NAMESPACE}," + json.dumps(["event", {**body, "router_data": router_data}])


def run_tab(base_url: str, tally: Tally, connected: threading.Barrier) -> None:
    """Connect, wait for the other tabs, then send events one after another until the end."""
    try:
        tab = _connect(base_url)
    except Exception as error:  # reported under the table, not fatal
        with tally.lock:
            tally.errors.append(f"connect: {error!r}")
        connected.abort()
        return
    try:
        connected.wait()
    except threading.BrokenBarrierError:
        tab.close()
        return
    value = False
    try:
        while (sent := time.monotonic()) < tally.stop_at:
            value = not value
            tab.send(_event(value))
            expected = f'"is_hydrated_rx_state_":{json.dumps(value)}'
            while expected not in _receive(tab).replace(" ", ""):
                pass
            done = time.monotonic()
            if tally.count_from <= done <= tally.stop_at:
                with tally.lock:
                    tally.latencies_ms.append((done - sent) * 1000)
    except Exception as error:
        with tally.lock:
            tally.errors.append(repr(error))
    finally:
        tab.close()


def measure(base_url: str, tabs: int, warmup: float, seconds: float) -> tuple[Tally, float]:
    """Run every tab in its own thread; the tally and the counted seconds."""
    tally = Tally(count_from=float("inf"), stop_at=float("inf"))

    def start_clock() -> None:
        # Runs once every tab has connected, before any of them is released.
        start = time.monotonic()
        tally.count_from = start + warmup
        tally.stop_at = start + warmup + seconds

    connected = threading.Barrier(tabs + 1, action=start_clock)
    threads = [
        threading.Thread(target=run_tab, args=(base_url, tally, connected), daemon=True)
        for _ in range(tabs)
    ]
    for thread in threads:
        thread.start()
    try:
        connected.wait(timeout=120)
    except threading.BrokenBarrierError:
        tally.stop_at = 0.0  # a tab could not connect: release the others at once
    for thread in threads:
        thread.join()
    return tally, seconds


@contextmanager
def running_app(work: Path, workers: int, redis_url: str, database_url: str) -> Iterator[str]:
    """The production backend with `workers` Granian workers; on Redis when a URL is given."""
    port = free_port()
    settings = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
        "WEB_WORKERS": str(workers),
        # Backend only: no frontend sets the origin, so name the one the tabs send.
        "ALLOWED_ORIGINS": f"http://localhost:{port}",
    }
    if redis_url:
        settings["REDIS_URL"] = redis_url
    env = app_env(**settings)
    if not redis_url:
        for name in ("REDIS_URL", "REFLEX_REDIS_URL"):
            env.pop(name, None)
    log = work / f"reflex-{workers}-{'redis' if redis_url else 'disk'}.log"
    try:
        with prod_app(env=env, log=log, backend_only=True, port=port, startup_seconds=300) as url:
            yield url
    except AppDidNotStartError as error:
        sys.exit(str(error))


def main() -> None:
    """Parse arguments, measure each set-up in turn, print a Markdown table."""
    parser = argparse.ArgumentParser(description="Websocket events per second.")
    parser.add_argument("--tabs", type=int, default=50)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run on Redis")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-disk", action="store_true", help="skip 1 worker without Redis")
    args = parser.parse_args()
    worker_counts = [int(part) for part in args.workers.split(",") if part.strip()]
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="nfp-bench-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        database_url = args.database_url or f"sqlite:///{work / 'bench.db'}"
        # Migrated here, once: several workers must not race to migrate one SQLite file.
        db.migrate_to_head(database_url)
        redis_url = args.redis_url
        if worker_counts and not redis_url:
            redis = RedisServer(work)
            redis.start()
            stack.callback(redis.stop)
            redis_url = redis.url
        setups = [("disk", 1, "")] if not args.no_disk else []
        setups += [("Redis", workers, redis_url) for workers in worker_counts]
        for name, workers, url in setups:
            with running_app(work, workers, url, database_url) as base_url:
                tally, seconds = measure(base_url, args.tabs, args.warmup, args.seconds)
            results.append(
                Result(name, workers, args.tabs, seconds, tally.latencies_ms, len(tally.errors))
            )
            for error in tally.errors[:3]:
                print(f"{name}, {workers} workers: {error}", file=sys.stderr)
    print(f"{args.tabs} tabs, {args.warmup:.0f} s warm-up, {args.seconds:.0f} s counted")
    print("| state | workers | tabs | events | events/s | median ms | p95 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        print(result.line())


if __name__ == "__main__":
    main()
