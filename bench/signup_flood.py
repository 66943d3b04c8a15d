"""Sign-in latency while a flood of signups arrives, on one production worker.

Starts `reflex run --env prod --backend-only` (one Granian worker, a temporary SQLite database,
the default BCRYPT_ROUNDS=12) from this checkout or from `--checkout`, such as a worktree of an
older commit. It creates one account, times quiet sign-ins, then sends `--flood` concurrent
`POST /users/` from one address and, while they are answered, signs in again and again and pings.
Usage, from the project folder:
    python -m bench.signup_flood [--checkout DIR] [--flood 150] [--limits default|off]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.prod_app import ROOT, AppDidNotStartError, app_env, prod_app

PASSWORD = "bench-password-123"  # noqa: S105  (throwaway accounts on a temp database)
# Signup limits off: what the hashing pools alone do under a flood.
NO_LIMITS = {"SIGNUP_IP_LIMIT": "0", "SIGNUP_TOTAL_LIMIT": "0"}


@dataclass
class Figures:
    """What one run measured, in milliseconds unless named otherwise."""

    quiet_sign_in: list[float] = field(default_factory=list)
    flood_sign_in: list[float] = field(default_factory=list)
    flood_ping: list[float] = field(default_factory=list)
    flood_statuses: Counter[int] = field(default_factory=Counter)
    flood_seconds: float = 0.0

    def report(self) -> str:
        """A Markdown summary."""

        def spread(values: list[float]) -> str:
            if not values:
                return "none"
            ordered = sorted(values)
            return (
                f"median {statistics.median(ordered):.0f}, max {ordered[-1]:.0f} "
                f"(n = {len(ordered)})"
            )

        statuses = ", ".join(f"{n}× {code}" for code, n in sorted(self.flood_statuses.items()))
        return "\n".join(
            [
                f"- quiet sign-in (POST /token): {spread(self.quiet_sign_in)} ms",
                f"- flood: {statuses}, answered within {self.flood_seconds:.1f} s",
                f"- sign-in during the flood: {spread(self.flood_sign_in)} ms",
                f"- GET /ping during the flood: {spread(self.flood_ping)} ms",
            ]
        )


@contextmanager
def running_app(work: Path, checkout: Path, extra: dict[str, str]) -> Iterator[str]:
    """A production backend with one worker on a fresh SQLite database; yields its URL."""
    env = app_env(
        DATABASE_URL=f"sqlite:///{work / 'bench.db'}",
        SECRET_KEY=secrets.token_urlsafe(48),
        REFLEX_STATES_WORKDIR=str(work / "states"),
        WEB_WORKERS="1",
        THROTTLE_IP_FAILURES="0",
        **extra,
    )
    for name in ("BCRYPT_ROUNDS", "REDIS_URL", "REFLEX_REDIS_URL"):
        env.pop(name, None)  # the defaults are what is measured: 12 rounds, one worker
    log = work / "reflex.log"
    try:
        with prod_app(env=env, log=log, backend_only=True, root=checkout) as base_url:
            yield base_url
    except AppDidNotStartError as error:
        sys.exit(str(error))


async def _timed(request: Awaitable[httpx.Response]) -> float:
    started = time.perf_counter()
    answer = await request
    answer.raise_for_status()
    return (time.perf_counter() - started) * 1000


async def measure(base: str, flood: int) -> Figures:
    """One account, quiet sign-ins, then sign-ins and pings while the flood is answered."""
    figures = Figures()
    limits = httpx.Limits(max_connections=flood + 10)
    async with httpx.AsyncClient(base_url=base, timeout=600, limits=limits) as client:
        name = f"bench_{secrets.token_hex(4)}"
        created = await client.post("/users/", json={"username": name, "password": PASSWORD})
        created.raise_for_status()
        form = {"username": name, "password": PASSWORD}
        for _ in range(5):
            figures.quiet_sign_in.append(await _timed(client.post("/token", data=form)))
        started = time.perf_counter()
        prefix = f"fl{secrets.token_hex(3)}_"
        signups = [
            asyncio.create_task(
                client.post("/users/", json={"username": f"{prefix}{i}", "password": PASSWORD})
            )
            for i in range(flood)
        ]
        await asyncio.sleep(0.2)  # the flood has arrived and queued
        while not all(task.done() for task in signups) and len(figures.flood_sign_in) < 20:
            figures.flood_ping.append(await _timed(client.get("/ping")))
            figures.flood_sign_in.append(await _timed(client.post("/token", data=form)))
        answers = await asyncio.gather(*signups)
        figures.flood_seconds = time.perf_counter() - started
        figures.flood_statuses = Counter(answer.status_code for answer in answers)
    return figures


def main() -> None:
    """Parse arguments, start the app, measure, print the figures, stop the app."""
    parser = argparse.ArgumentParser(description="Sign-in latency during a signup flood.")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the app's folder to run")
    parser.add_argument("--flood", type=int, default=150)
    parser.add_argument("--limits", choices=["default", "off"], default="default")
    args = parser.parse_args()
    extra = NO_LIMITS if args.limits == "off" else {}
    with (
        tempfile.TemporaryDirectory(prefix="nfp-bench-") as tmp,
        running_app(Path(tmp), args.checkout.resolve(), extra) as base,
    ):
        figures = asyncio.run(measure(base, args.flood))
    print(f"checkout {args.checkout}, flood {args.flood}, signup limits {args.limits}")
    print(figures.report())


if __name__ == "__main__":
    main()
