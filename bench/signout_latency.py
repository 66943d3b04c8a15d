"""Instant sign-out: time from revoking a session to its tab showing the sign-in page.

Starts its own `reflex run --env prod` (one Granian worker on the disk state manager, or, with
`--redis-url`, two workers sharing Redis), signs one user in, then N times: opens a fresh
browser context signed in on /admin, revokes that session with `DELETE /users/me/sessions/{id}`
from a script's bearer token, and measures until the tab's URL is the sign-in page.

Usage, from the project folder:
    python -m bench.signout_latency [--tries 20] [--redis-url redis://...] [--database-url ...]
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from playwright.sync_api import Browser, sync_playwright

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.prod_app import AppDidNotStartError, app_env, prod_app

PASSWORD = "plum-Harbor-47-lantern"  # noqa: S105  (a throwaway benchmark account)


@contextmanager
def running_app(work: Path, database_url: str, redis_url: str) -> Iterator[str]:
    """The production app; two workers on Redis when a Redis URL is given."""
    settings = {
        "DATABASE_URL": database_url or f"sqlite:///{work / 'bench.db'}",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "REFLEX_STATES_WORKDIR": str(work / "states"),
        "WEB_WORKERS": "2" if redis_url else "1",
        "BCRYPT_ROUNDS": "4",  # hashing is not what this measures
        "SIGNUP_IP_LIMIT": "0",
        "THROTTLE_IP_FAILURES": "0",
    }
    if redis_url:
        settings["REDIS_URL"] = redis_url
    env = app_env(**settings)
    try:
        with prod_app(env=env, log=work / "reflex.log", startup_seconds=300) as base_url:
            yield base_url
    except AppDidNotStartError as error:
        sys.exit(str(error))


def one_try(browser: Browser, base: str, username: str, http: httpx.Client, token: str) -> float:
    """Sign in a fresh context, revoke its session over REST; ms until it shows /login."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/login")
    page.wait_for_selector("#submit:not([disabled])")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_selector("#account-username")
    sessions = http.get("/users/me/sessions", headers={"Authorization": f"Bearer {token}"}).json()
    newest = max((s for s in sessions if not s["current"]), key=lambda s: s["created_at"])
    started = time.perf_counter()
    answer = http.delete(
        f"/users/me/sessions/{newest['id']}", headers={"Authorization": f"Bearer {token}"}
    )
    answer.raise_for_status()
    page.wait_for_url("**/login**notice=signed-out**", timeout=30_000)
    elapsed = (time.perf_counter() - started) * 1000
    context.close()
    return elapsed


def main() -> None:
    """Parse arguments, start the app, measure, print the figures."""
    parser = argparse.ArgumentParser(description="Revocation to sign-in page, in a real tab.")
    parser.add_argument("--tries", type=int, default=20)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    username = f"bench_{secrets.token_hex(4)}"
    with (
        tempfile.TemporaryDirectory(prefix="nfp-bench-") as tmp,
        running_app(Path(tmp), args.database_url, args.redis_url) as base,
        httpx.Client(base_url=base, timeout=60) as http,
        sync_playwright() as playwright,
    ):
        http.post("/users/", json={"username": username, "password": PASSWORD}).raise_for_status()
        form = {"username": username, "password": PASSWORD}
        token = http.post("/token", data=form).json()["access_token"]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        one_try(browser, base, username, http, token)  # warm-up, not counted
        times = [one_try(browser, base, username, http, token) for _ in range(args.tries)]
        browser.close()
    workers = "2 workers on Redis" if args.redis_url else "1 worker"
    ordered = sorted(times)
    median, p90 = statistics.median(times), ordered[int(0.9 * (len(ordered) - 1))]
    print(
        f"{workers}, n = {len(times)}: min {ordered[0]:.0f}, median {median:.0f}, "
        f"p90 {p90:.0f}, max {ordered[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
