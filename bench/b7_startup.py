"""B7: start-up. A fresh clone to serving (cold and warm), `reflex run --env prod` against the
bare Reflex app, and migrating an empty database (PostgreSQL and SQLite).

Usage: python -m bench.b7_startup [--smoke] [--restarts 3]
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack, suppress
from pathlib import Path

import sqlalchemy

from bench.b6_frontend import bare_process, copy_bare_app, ours_process
from bench.harness import Figure, Plot, Section, median, table
from nfp_app.infra import db
from tests.support.postgres_server import postgres_server
from tests.support.prod_app import ROOT, answers, free_port

CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# What a user's shell would have: no venv, none of this process's app settings; pip's and
# npm's own configuration (index, certificates, cache) stays.
KEPT = ("HOME", "LANG", "LC_ALL", "TERM", "TMPDIR", "USER")


def user_env() -> dict[str, str]:
    """A clean shell's environment for the clone's own scripts."""
    env = {name: value for name, value in os.environ.items() if name in KEPT}
    env.update(
        {
            name: value
            for name, value in os.environ.items()
            if name.startswith(("PIP_", "npm_config_", "NPM_CONFIG_"))
        }
    )
    env["PATH"] = CLEAN_PATH
    env["REFLEX_TELEMETRY_ENABLED"] = "false"
    return env


class CloneRun:
    """The clone's run command (dev mode, as the README says), in its own process group."""

    def __init__(
        self,
        clone: Path,
        command: list[str],
        env: dict[str, str],
        log: Path,
        *,
        backend_only: bool = False,
    ) -> None:
        self.backend_only = backend_only
        self.clone = clone
        self.command = command
        self.env = env
        self.log = log
        self.frontend = free_port()
        self.backend = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, limit: float) -> float:
        """Seconds until /login answers 200 on the frontend port and /ping on the backend's."""
        ports = ["--backend-port", str(self.backend)]
        if not self.backend_only:
            ports += ["--frontend-port", str(self.frontend)]
        with self.log.open("ab") as log:
            started = time.monotonic()
            self.process = subprocess.Popen(
                [*self.command, *ports],
                cwd=self.clone,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        login = f"http://localhost:{self.frontend}/login"
        ping = f"http://localhost:{self.backend}/ping"
        while time.monotonic() - started < limit:
            if self.process.poll() is not None:
                raise RuntimeError(f"the clone's app exited:\n{self.log.read_text()[-3000:]}")
            if (self.backend_only or answers(login)) and answers(ping):
                return time.monotonic() - started
            time.sleep(0.25)
        raise RuntimeError(f"the clone did not serve in {limit} s:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM to the whole process group, SIGKILL after 20 s."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # Whatever the group left behind (Vite's node) goes too.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


def clone_to_serving(work: Path, *, smoke: bool) -> tuple[float | None, float, float]:
    """git clone of HEAD, then the README's command: (cold s or None, warm s, clone s)."""
    clone = work / "clone"
    started = time.monotonic()
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(
        ["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)],
        check=True,
        capture_output=True,
    )
    subprocess.run(["git", "checkout", "--quiet", head], cwd=clone, check=True, capture_output=True)
    clone_seconds = time.monotonic() - started
    env = user_env()
    if smoke:
        # Smoke: no venv, no frontend. The clone borrows this venv and runs what
        # scripts/run.sh ends with, `reflex run`, backend only.
        (clone / ".venv").symlink_to(Path(sys.executable).parent.parent)
        env.update(
            REFLEX_USE_NPM="1",
            npm_config_omit_lockfile_registry_resolved="true",
            PATH=f"{clone / '.venv' / 'bin'}:{CLEAN_PATH}",
        )
        command = [str(clone / ".venv" / "bin" / "reflex"), "run", "--backend-only"]
    else:
        command = ["scripts/run.sh"]
    run = CloneRun(clone, command, env, work / "clone.log", backend_only=smoke)
    try:
        cold = None if smoke else run.start(limit=600)
        if cold is not None:
            run.stop()
        warm = run.start(limit=300)
    finally:
        run.stop()
    return (None if cold is None else cold + clone_seconds), warm, clone_seconds


def prod_starts(work: Path, *, smoke: bool, restarts: int) -> tuple[list[float], list[float]]:
    """Seconds of `reflex run --env prod` until the first page answers: ours, bare.

    The first start of each (npm prunes the bare app's copied node_modules) is a warm-up;
    then both restart `restarts` times, alternating. Smoke: --backend-only, one start each.
    """
    ours = ours_process(work)
    bare = bare_process(work, copy_bare_app(work, packages=not smoke))
    if smoke:
        ours.backend_only = bare.backend_only = True
    mine: list[float] = []
    theirs: list[float] = []
    with ExitStack() as stack:
        for app in (ours, bare):
            stack.callback(app.kill)
        first = [ours.start(), bare.start()]
        if smoke:
            return [first[0]], [first[1]]
        for _ in range(restarts):
            mine.append(ours.restart())
            theirs.append(bare.restart())
        for app in (ours, bare):
            app.stop(20)
    return mine, theirs


def _fresh_sqlite(work: Path) -> Callable[[], str]:
    counter = iter(range(1_000_000))
    return lambda: f"sqlite:///{work / f'migrate-{next(counter)}.db'}"


def _fresh_postgres(server_url: str) -> Callable[[], str]:
    engine = sqlalchemy.create_engine(server_url, isolation_level="AUTOCOMMIT")
    counter = iter(range(1_000_000))

    def fresh() -> str:
        name = f"b7_{next(counter)}"
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
        return server_url.rsplit("/", 1)[0] + f"/{name}"

    return fresh


def migrations(fresh: Callable[[], str], *, repeat: int) -> tuple[list[float], float]:
    """ms of db.migrate_to_head on `repeat` new empty databases (after one warm-up), and ms of
    `alembic upgrade head` run as a command (a new Python process) on one more."""
    db.migrate_to_head(fresh())
    samples = []
    for _ in range(repeat):
        url = fresh()
        started = time.perf_counter()
        db.migrate_to_head(url)
        samples.append((time.perf_counter() - started) * 1000)
    env = {**os.environ, "DATABASE_URL": fresh(), "SECRET_KEY": secrets.token_urlsafe(48)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return samples, (time.perf_counter() - started) * 1000


def section(
    clone: tuple[float | None, float, float],
    starts: tuple[list[float], list[float]],
    sqlite: tuple[list[float], float],
    postgres: tuple[list[float], float],
    *,
    smoke: bool,
    restarts: int,
) -> Section:
    """Figures, method and details."""
    cold, warm, clone_seconds = clone
    mine, theirs = starts
    figures = []
    if cold is not None:
        figures.append(
            Figure(
                key="B7",
                what="fresh clone to serving, cold (venv, pip, npm install, build)",
                value=cold,
                unit="s",
                extra={"git_clone_s": clone_seconds},
            )
        )
    figures += [
        Figure(
            key="B7",
            what="clone to serving, warm (run again in the same clone)"
            + (" [smoke: borrowed venv, backend only]" if smoke else ""),
            value=warm,
            unit="s",
        ),
        Figure(
            key="B7",
            what="`reflex run --env prod` until /login answers (median)"
            + (" [smoke: --backend-only, /ping]" if smoke else ""),
            value=median(mine),
            unit="s",
            baseline=median(theirs),
            baseline_what="bare Reflex app until / answers",
        ),
        Figure(
            key="B7",
            what="migrate an empty PostgreSQL database to head (median)",
            value=median(postgres[0]),
            unit="ms",
            extra={"alembic_cli_ms": postgres[1]},
        ),
        Figure(
            key="B7",
            what="migrate an empty SQLite database to head (median)",
            value=median(sqlite[0]),
            unit="ms",
            extra={"alembic_cli_ms": sqlite[1]},
        ),
    ]
    cold_text = (
        f"{cold:.1f} s (of which `git clone` {clone_seconds:.1f} s)"
        if cold is not None
        else "not measured (smoke)"
    )
    smoke_note = (
        "Smoke: no cold run; the warm run borrows this venv and starts `reflex run "
        "--backend-only` directly, until `/ping` answers. "
        if smoke
        else ""
    )
    how_started = (
        "smoke: `--backend-only`, one start each until `/ping` answers"
        if smoke
        else f"first start of each as warm-up, then {restarts} restarts of each, alternating; "
        "seconds from the command until `/login` (ours) or `/` (bare) answers 200"
    )
    start_rows = "\n".join(
        f"| start {index + 1} | {a:.1f} | {b:.1f} |"
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True))
    )
    links = os.environ.get("PIP_FIND_LINKS")
    pip_source = f"here `PIP_FIND_LINKS={links}`, no download" if links else "its index"
    markdown = f"""**Clone to serving.** `git clone` of the checkout's committed HEAD into a
temporary folder, then the README's command, `scripts/run.sh` (dev mode, `reflex run` with
npm), on free ports, from a clean shell environment (system `PATH`, no venv, pip's and npm's own
configuration kept), until `/login` answers 200 on the frontend port and `/ping` on the backend
port. *Cold* = the clone has no `.venv` and no `.web`: `python3 -m venv`, `pip install` of
`requirements.txt` under `constraints.txt` from whatever this machine's pip configuration
offers ({pip_source}) and pip's cache, `npm install` of the pinned
`reflex.lock/package-lock.json` from npm's cache (`~/.npm`,
the registry for what is missing), Reflex's compile and Vite's dev server. *Warm* = the whole
process group stopped (SIGTERM) and `scripts/run.sh` run again in the same clone (pip finds
everything installed, npm is skipped). In dev mode Vite compiles a page's modules when a
browser first asks for them, so that is not included. {smoke_note}Cold: {cold_text};
warm: {warm:.1f} s.

**`reflex run --env prod`.** Ours from the checkout (SQLite, one worker, no Redis) and the bare
app (`bench/bare_app`, copied to a temporary folder with the checkout's `node_modules`),
{how_started}.
Reflex compiles the pages and Vite rebuilds the production bundle at every start, so this is
mostly build time: ours has 15 pages and their memoized components, the bare app one page.

| | ours s | bare s |
|---|---|---|
{start_rows}

**Migrations.** `nfp_app.infra.db.migrate_to_head` (what the app runs at start-up, under its
advisory lock) in this process on a new empty database each time, one warm-up then
{len(sqlite[0])} timed runs each: PostgreSQL (a throwaway cluster,
`tests.support.postgres_server`) median {median(postgres[0]):.0f} ms, SQLite (a new file)
median {median(sqlite[0]):.0f} ms. The same as an operator's command, `python -m alembic upgrade
head` in a new Python process (imports included): PostgreSQL {postgres[1]:.0f} ms, SQLite
{sqlite[1]:.0f} ms. No targets: these are absolute figures.
"""
    plots = [
        Plot(
            name="b7_prod_start",
            title="reflex run --env prod until the page answers",
            xlabel="start",
            ylabel="s",
            series={
                "ours": [(index + 1, value) for index, value in enumerate(mine)],
                "bare": [(index + 1, value) for index, value in enumerate(theirs)],
            },
            kind="bar",
        )
    ]
    return Section(key="B7", title="start-up", figures=figures, markdown=markdown, plots=plots)


def run(*, smoke: bool, restarts: int | None = None) -> Section:
    """Clone and start, start both apps in prod, migrate empty databases."""
    count = restarts or (1 if smoke else 3)
    repeat = 2 if smoke else 7
    with tempfile.TemporaryDirectory(prefix="nfp-b7-") as tmp:
        work = Path(tmp)
        (work / "clone-run").mkdir()
        clone = clone_to_serving(work / "clone-run", smoke=smoke)
        (work / "prod").mkdir()
        starts = prod_starts(work / "prod", smoke=smoke, restarts=count)
        (work / "sqlite").mkdir()
        sqlite = migrations(_fresh_sqlite(work / "sqlite"), repeat=repeat)
        with postgres_server() as server:
            postgres = migrations(_fresh_postgres(server.url), repeat=repeat)
    return section(clone, starts, sqlite, postgres, smoke=smoke, restarts=count)


def main() -> None:
    """Parse arguments, measure, print the table and the details."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--restarts", type=int, default=None)
    args = parser.parse_args()
    result = run(smoke=args.smoke, restarts=args.restarts)
    print(table(result.figures))
    print()
    print(result.markdown)


if __name__ == "__main__":
    main()
