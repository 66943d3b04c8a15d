"""B8: resident memory of a backend worker, idle and with 1,000 connected signed-in tabs.

Our production backend (PostgreSQL, state in Redis, one Granian worker) against the bare Reflex
app of bench/bare_app on the same Redis. Every tab is a real Socket.IO connection that speaks
Reflex's event protocol; ours signs in through the login form, the bare app's fires one event.
Memory is read from /proc: PSS (smaps_rollup) and RSS (status) of each worker.
Usage: python -m bench.b8_memory [--smoke] [--clients 1000] [--no-two-workers]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.async_tabs import PASSWORD, OpenTab, Tab, bare_tab, signed_in_tab
from bench.harness import Figure, Plot, Section, table
from bench.proc_memory import (
    Tree,
    open_files_limit,
    process_tree,
    pss_bytes,
    redis_connections,
    rss_bytes,
    socket_count,
)
from nfp_app.infra import db
from nfp_app.security import passwords
from nfp_app.services import accounts
from tests.support.postgres_server import postgres_server
from tests.support.prod_app import ROOT, app_env, app_process, free_port
from tests.support.redis_server import RedisServer

# Memory, not hashing, is measured: the app hashes at this cost so 1,000 sign-ins take seconds.
ROUNDS = 4
BARE_APP = ROOT / "bench" / "bare_app"
MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """Memory of one app at one moment: per worker, and the supervisor's share."""

    clients: int
    worker_pss: list[float]  # bytes, one per worker
    worker_rss: list[float]
    supervisor_pss: float
    sockets: list[int]
    redis_links: list[int]

    @property
    def pss(self) -> float:
        """PSS per worker (mean over the workers)."""
        return statistics.mean(self.worker_pss)

    @property
    def rss(self) -> float:
        """RSS per worker (mean over the workers)."""
        return statistics.mean(self.worker_rss)

    @property
    def total_pss(self) -> float:
        """What the whole backend costs the machine: the PSS of every process summed."""
        return self.supervisor_pss + sum(self.worker_pss)


async def sample(
    tree: Tree, clients: int, *, settle: float, redis_port: int, reads: int = 5
) -> Sample:
    """Let the app settle, then the median of `reads` readings 0.2 s apart."""
    await asyncio.sleep(settle)
    readings: list[tuple[list[int], list[int], int]] = []
    for _ in range(reads):
        readings.append(
            (
                [pss_bytes(pid) for pid in tree.workers],
                [rss_bytes(pid) for pid in tree.workers],
                pss_bytes(tree.supervisor),
            )
        )
        await asyncio.sleep(0.2)
    count = len(tree.workers)
    return Sample(
        clients=clients,
        worker_pss=[statistics.median(r[0][i] for r in readings) for i in range(count)],
        worker_rss=[statistics.median(r[1][i] for r in readings) for i in range(count)],
        supervisor_pss=statistics.median(r[2] for r in readings),
        sockets=[socket_count(pid) for pid in tree.workers],
        redis_links=[redis_connections(pid, redis_port) for pid in tree.workers],
    )


# --- one app under a growing number of tabs --------------------------------------------


@dataclass
class Curve:
    """One app's memory: just started, warmed up and idle, at each tab count, after closing."""

    name: str
    workers: int
    cold: Sample | None = None
    steps: list[Sample] = field(default_factory=list)
    after_close: Sample | None = None
    open_seconds: float = 0.0
    open_files_limit: int = 0

    def at(self, clients: int) -> Sample:
        """The sample at this many tabs."""
        return next(step for step in self.steps if step.clients == clients)

    @property
    def idle(self) -> Sample:
        """Warmed up, no tab connected."""
        return self.at(0)

    def per_client(self, clients: int) -> float:
        """Bytes per tab per worker: the growth from idle to `clients` tabs, over the tabs each
        worker holds."""
        per_worker = clients / self.workers
        return (self.at(clients).pss - self.idle.pss) / per_worker


async def open_tabs(
    open_tab: OpenTab, base_url: str, names: list[str], concurrency: int
) -> list[Tab]:
    """Open one tab per name, `concurrency` at a time; any tab that fails fails the run."""
    gate = asyncio.Semaphore(concurrency)
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=concurrency))

    async def one(name: str) -> Tab:
        async with gate:
            return await open_tab(base_url, name, transport)

    try:
        results = await asyncio.gather(*(one(name) for name in names), return_exceptions=True)
    finally:
        await transport.aclose()
    tabs = [result for result in results if isinstance(result, Tab)]
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        await asyncio.gather(*(tab.close() for tab in tabs))
        raise RuntimeError(f"{len(errors)} of {len(names)} tabs failed; first: {errors[0]!r}")
    return tabs


async def measure(
    curve: Curve,
    tree: Tree,
    base_url: str,
    open_tab: OpenTab,
    *,
    steps: list[int],
    names: list[str],
    warmup: list[str],
    concurrency: int,
    settle: float,
    redis_port: int,
) -> None:
    """Cold idle; warm-up tabs opened and closed; then tabs added step by step, sampled at
    each step; then every tab closed and one more sample."""
    curve.cold = await sample(tree, 0, settle=settle, redis_port=redis_port)
    curve.open_files_limit = min(open_files_limit(pid) for pid in tree.workers)
    for tab in await open_tabs(open_tab, base_url, warmup, concurrency):
        await tab.close()
    tabs: list[Tab] = []
    opening = 0.0
    for step in steps:
        if step > len(tabs):
            begun = time.perf_counter()
            tabs += await open_tabs(open_tab, base_url, names[len(tabs) : step], concurrency)
            opening += time.perf_counter() - begun
        lost = [tab.closed for tab in tabs if tab.closed]
        if lost:
            raise RuntimeError(f"{len(lost)} tabs lost their connection: {lost[0]}")
        curve.steps.append(await sample(tree, step, settle=settle, redis_port=redis_port))
    curve.open_seconds = opening
    await asyncio.gather(*(tab.close() for tab in tabs))
    curve.after_close = await sample(tree, 0, settle=settle, redis_port=redis_port)


# --- the apps ------------------------------------------------------------------------------


def create_accounts(database_url: str, names: list[str]) -> None:
    """Ordinary accounts straight in the database, all with one cost-4 hash of PASSWORD."""
    hashed = passwords.hash_password(PASSWORD, rounds=ROUNDS)
    with db.session_scope(db.engine_for(database_url)) as session:
        for name in names:
            accounts.insert_user(session, name, None, hashed_password=hashed, is_admin=False)


@contextmanager
def ours(work: Path, database_url: str, redis_url: str, workers: int) -> Iterator[tuple[str, Tree]]:
    """Our production backend (backend only) with `workers` Granian workers."""
    port = free_port()
    env = app_env(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_urlsafe(48),
        WEB_WORKERS=str(workers),
        BCRYPT_ROUNDS=str(ROUNDS),
        ALLOWED_ORIGINS=f"http://localhost:{port}",
    )
    log = work / f"ours-{workers}.log"
    with app_process(env=env, log=log, backend_only=True, port=port, startup_seconds=300) as app:
        yield app.base_url, process_tree(port, workers)


@contextmanager
def bare(work: Path, redis_url: str, workers: int) -> Iterator[tuple[str, Tree]]:
    """The bare Reflex app, copied to a temporary folder, on the same Redis."""
    folder = work / f"bare-{workers}"
    shutil.copytree(BARE_APP, folder, ignore=shutil.ignore_patterns(".web", "__pycache__"))
    port = free_port()
    env = app_env(REFLEX_REDIS_URL=redis_url, GRANIAN_WORKERS=str(workers))
    for name in ("REDIS_URL", "WEB_WORKERS", "DATABASE_URL"):
        env.pop(name, None)
    log = work / f"bare-{workers}.log"
    with app_process(
        env=env, log=log, backend_only=True, port=port, startup_seconds=300, root=folder
    ) as app:
        yield app.base_url, process_tree(port, workers)


def raise_open_files_limit() -> int:
    """Raise this process's soft open-files limit to its hard limit (the apps inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass(frozen=True)
class Sizes:
    """How many tabs, and how long to let memory settle before a reading."""

    steps: list[int]
    warmup: int
    settle: float
    two_workers: bool


def measure_all(sizes: Sizes) -> list[Curve]:
    """Start PostgreSQL and Redis; then each app in turn under the tabs."""
    clients = max(sizes.steps)
    names = [f"b8_{index:05d}" for index in range(clients + sizes.warmup)]
    warmup, names = names[: sizes.warmup], names[sizes.warmup :]
    limit = raise_open_files_limit()
    if limit < clients + 100:
        raise RuntimeError(f"the open-files limit ({limit}) is too low for {clients} tabs")
    curves: list[Curve] = []
    with tempfile.TemporaryDirectory(prefix="nfp-b8-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        database_url = stack.enter_context(postgres_server()).url
        redis = RedisServer(work)
        redis.start()
        stack.callback(redis.stop)
        db.migrate_to_head(database_url)
        create_accounts(database_url, warmup + names)
        runs: list[tuple[str, int, OpenTab, int]] = [
            ("ours", 1, signed_in_tab, 8),
            ("bare", 1, bare_tab, 16),
        ]
        if sizes.two_workers:
            runs.append(("ours", 2, signed_in_tab, 8))
        for name, workers, open_tab, concurrency in runs:
            curve = Curve(name, workers)
            if name == "ours":
                app = ours(work, database_url, redis.url, workers)
            else:
                app = bare(work, redis.url, workers)
            steps = sizes.steps if workers == 1 else [0, clients]
            with app as (base_url, tree):
                asyncio.run(
                    measure(
                        curve,
                        tree,
                        base_url,
                        open_tab,
                        steps=steps,
                        names=names,
                        warmup=warmup,
                        concurrency=concurrency,
                        settle=sizes.settle,
                        redis_port=redis.port,
                    )
                )
            curves.append(curve)
    return curves


# --- the report ------------------------------------------------------------------------


def _mib(value: float) -> float:
    return value / MIB


def figures(mine: Curve, theirs: Curve) -> list[Figure]:
    """Idle, loaded and per-tab memory of one worker, ours against the bare app's."""
    clients = max(step.clients for step in mine.steps)
    extra_idle = {
        "rss_mib": _mib(mine.idle.rss),
        "baseline_rss_mib": _mib(theirs.idle.rss),
        "total_pss_mib": _mib(mine.idle.total_pss),
        "baseline_total_pss_mib": _mib(theirs.idle.total_pss),
    }
    loaded, base_loaded = mine.at(clients), theirs.at(clients)
    extra_loaded = {
        "rss_mib": _mib(loaded.rss),
        "baseline_rss_mib": _mib(base_loaded.rss),
    }
    return [
        Figure(
            key="B8",
            what="worker memory (PSS), idle",
            value=_mib(mine.idle.pss),
            unit="MiB",
            baseline=_mib(theirs.idle.pss),
            baseline_what="bare Reflex app",
            extra=extra_idle,
        ),
        Figure(
            key="B8",
            what=f"worker memory (PSS), {clients:,} signed-in tabs",
            value=_mib(loaded.pss),
            unit="MiB",
            baseline=_mib(base_loaded.pss),
            baseline_what=f"bare Reflex app, {clients:,} tabs",
            extra=extra_loaded,
        ),
        Figure(
            key="B8",
            what="memory per connected tab",
            value=mine.per_client(clients) / 1024,
            unit="KiB",
            baseline=theirs.per_client(clients) / 1024,
            baseline_what="bare Reflex app",
        ),
    ]


def _row(curve: Curve, moment: str, sampled: Sample) -> str:
    workers = f"{curve.workers} worker{'s' if curve.workers > 1 else ''}"
    pss = " + ".join(f"{_mib(value):.1f}" for value in sampled.worker_pss)
    rss = " + ".join(f"{_mib(value):.1f}" for value in sampled.worker_rss)
    sockets = " + ".join(
        f"{count} ({links})"
        for count, links in zip(sampled.sockets, sampled.redis_links, strict=True)
    )
    return (
        f"| {curve.name}, {workers} | {moment} | {pss} | {rss} | "
        f"{_mib(sampled.supervisor_pss):.1f} | {_mib(sampled.total_pss):.1f} | {sockets} |"
    )


def markdown(curves: list[Curve], sizes: Sizes) -> str:
    """How it was measured, and every reading."""
    clients = max(sizes.steps)
    lines = [
        "Our production backend (`reflex run --env prod --backend-only`, PostgreSQL, Reflex state "
        "in Redis, `WEB_WORKERS=1`) and the bare Reflex app of `bench/bare_app` (copied to a "
        "temporary folder, same Reflex, same Redis state manager, `GRANIAN_WORKERS=1`) run in "
        f"turn. One asyncio process opens up to {clients:,} tabs on each: each tab is a real "
        "websocket carrying Socket.IO packets (python-socketio's codec over wsproto; its "
        "AsyncClient needs aiohttp, which is not installed) in Reflex's event protocol. Our tabs "
        "load a binding cookie from `/auth/bind` as the page load does, hydrate `/login`, submit "
        "the login form, finish the handoff, fire `/admin`'s on_load and then `/`'s `route_home`, "
        "authenticated events that check the session the tab's state holds: every tab must be "
        "sent to /admin, not /login. The handoff URL is not redeemed (the tab's state holds the "
        "session; the HttpOnly cookie would only serve later connections). The bare app's tabs "
        f"hydrate and click once, so their state exists in Redis. `BCRYPT_ROUNDS={ROUNDS}` "
        "(memory, not hashing, is measured; cost 12 would make 1,000 sign-ins take minutes). "
        f"Before the idle reading {sizes.warmup} tabs open and close (warm-up: lazy imports, "
        "database and Redis pools); each reading is the median of 5 reads 0.2 s apart, "
        f"{sizes.settle:g} s after the last tab of a step connected.",
        "",
        "**What is measured.** PSS from `/proc/<pid>/smaps_rollup` of each Granian worker (the "
        "`reflex run` process is Granian's supervisor; its forked children with the same command "
        "line are the workers). Reflex imports the app in the supervisor and forks the workers "
        "from it after `gc.freeze()`, so most of a worker's RSS is pages it shares with the "
        "supervisor (and its sibling workers): RSS (`VmRSS`, also shown) counts them in full in "
        "every process, PSS divides them among the processes mapping them, so worker PSS plus "
        "supervisor PSS is what the backend really costs the machine. Pages a tab adds are "
        "private to its worker, so the per-tab figure is nearly the same either way. Per tab = "
        "(PSS with the tabs − idle PSS) ÷ tabs per worker. The issue sets no target for B8, so the "
        "figures have none: the ratios show what the app adds to bare Reflex.",
        "",
        "**Where the state lives.** In Redis: with `REFLEX_REDIS_URL` Reflex's `StateManagerRedis` "
        "loads a tab's state for each event and writes it back (no in-process cache: Reflex's "
        "opportunistic lock cache is off by default). Per connection a worker keeps Granian's "
        "websocket and python-socketio/engine.io session objects (a send queue, the tasks "
        "that read and write the websocket), "
        "Reflex's token manager maps (client token ↔ socket id, also mirrored to Redis) and, in "
        "ours, one entry in `nfp_app.state.tabs` (session id → client tokens, for the sign-out "
        "push; capped at 50,000 tabs).",
        "",
        "| app | moment | worker PSS MiB | worker RSS MiB | supervisor PSS MiB | total PSS MiB "
        "| worker sockets (to Redis) |",
        "|---|---|---|---|---|---|---|",
    ]
    for curve in curves:
        if curve.cold is not None:
            lines.append(_row(curve, "just started", curve.cold))
        for step in curve.steps:
            moment = "idle (warmed up)" if step.clients == 0 else f"{step.clients:,} tabs"
            lines.append(_row(curve, moment, step))
        if curve.after_close is not None:
            lines.append(_row(curve, "all tabs closed", curve.after_close))
    lines.append("")
    for curve in curves:
        top = max(step.clients for step in curve.steps)
        lines.append(
            f"- {curve.name}, {curve.workers} worker(s): {top:,} tabs opened in "
            f"{curve.open_seconds:.1f} s; {curve.per_client(top) / 1024:.1f} KiB per tab per "
            f"worker; open-files limit of the workers {curve.open_files_limit:,}."
        )
    lines.extend(
        [
            "- Closing every tab at once gives memory back to neither app: CPython keeps the freed "
            "blocks for reuse, so the worker stays near its peak (in a side test, a second wave of "
            "1,000 bare tabs grew the worker by 3 %, a third by nothing). The burst of disconnects "
            "also leaves the worker about one idle Redis connection per closed tab (the number in "
            "brackets): Reflex's Redis pool has no cap unless `REFLEX_REDIS_MAX_CONNECTIONS` is "
            "set. "
            "With it at 32 the side test kept 48 Redis connections and the same memory, so this "
            "costs Redis client slots (`maxclients` 10,000 by default), not worker memory.",
            "- Why ours is heavier idle: the supervisor's PSS (the app import, shared with the "
            "forked workers) is about twice the bare app's: FastAPI routes, SQLAlchemy and "
            "psycopg2, passlib and bcrypt, WebAuthn and cryptography, the mail templates and its "
            "page states. "
            "Per tab ours also keeps a little more: its handshake carries cookies, and one "
            "`nfp_app.state.tabs` entry per signed-in tab.",
        ]
    )
    return "\n".join(lines)


def plots(curves: list[Curve]) -> list[Plot]:
    """Worker PSS and RSS against connected tabs, ours and bare, one worker."""
    series: dict[str, list[tuple[float, float]]] = {}
    for curve in curves:
        if curve.workers != 1:
            continue
        series[f"{curve.name} (PSS)"] = [(s.clients, _mib(s.pss)) for s in curve.steps]
        series[f"{curve.name} (RSS)"] = [(s.clients, _mib(s.rss)) for s in curve.steps]
    return [
        Plot(
            name="b8_memory",
            title="Worker memory against connected tabs (one worker)",
            xlabel="connected tabs",
            ylabel="MiB",
            series=series,
        )
    ]


def run(*, smoke: bool, clients: int = 1000, two_workers: bool = True) -> Section:
    """Measure both apps; smoke: 20 tabs, figures meaningless but end to end."""
    if smoke:
        sizes = Sizes(steps=[0, 10, 20], warmup=2, settle=0.3, two_workers=False)
    else:
        steps = sorted({0, clients // 4, clients // 2, clients})
        sizes = Sizes(steps=steps, warmup=8, settle=2.0, two_workers=two_workers)
    curves = measure_all(sizes)
    mine = next(c for c in curves if c.name == "ours" and c.workers == 1)
    theirs = next(c for c in curves if c.name == "bare")
    return Section(
        key="B8",
        title="Memory per worker, idle and with 1,000 signed-in tabs",
        figures=figures(mine, theirs),
        markdown=markdown(curves, sizes),
        plots=plots(curves),
    )


def main() -> None:
    """Parse arguments, measure, print the table and the markdown."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--no-two-workers", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    section = run(smoke=args.smoke, clients=args.clients, two_workers=not args.no_two_workers)
    print(table(section.figures))
    print()
    print(section.markdown)
    print(json.dumps([plot.series for plot in section.plots]), file=sys.stderr)
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
