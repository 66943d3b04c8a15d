"""Login latency through the real UI: a prod app on SQLite, default bcrypt cost, real Chromium.

Run from the repository root:

    source scripts/_env.sh && python -m bench.login_latency --iterations 20

It starts `reflex run --env prod` on a free port with a temporary SQLite database and the
default BCRYPT_ROUNDS (12), signs one user up through /signup, then signs in N times, each in a
fresh browser context, and measures in the browser the time from the click on "Sign in" to the
first frame in which #account-username shows the username. It also measures how long a new
context that holds only the "Remember me" cookie takes to show /admin signed in.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt
from playwright._impl._api_structures import SetCookieParam
from playwright.sync_api import Browser, BrowserContext, Page, WebSocket, sync_playwright

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.prod_app import AppDidNotStartError, app_env, prod_app

PASSWORD = "plum-Harbor-47-lantern"  # noqa: S105  (a throwaway benchmark account)
HYDRATED = '"is_hydrated_rx_state_":true'

# Absolute wall-clock time in the page, so it survives a client-side route change.
_NOW_JS = "performance.timeOrigin + performance.now()"
_ARM_CLICK_JS = f"""() => {{
  sessionStorage.removeItem("benchClick");
  document.getElementById("submit").addEventListener(
    "click", () => sessionStorage.setItem("benchClick", String({_NOW_JS})),
    {{capture: true, once: true}});
}}"""
_SHOWN_SINCE_CLICK_JS = f"""(name) => {{
  const shown = document.getElementById("account-username");
  const clicked = sessionStorage.getItem("benchClick");
  if (!shown || shown.textContent !== name || clicked === null) return false;
  return {_NOW_JS} - Number(clicked);
}}"""
_SHOWN_SINCE_NAVIGATION_JS = """(name) => {
  const shown = document.getElementById("account-username");
  return shown && shown.textContent === name ? performance.now() : false;
}"""


@contextmanager
def running_app(workdir: Path, web_workdir: str | None, startup_seconds: float) -> Iterator[str]:
    """`reflex run --env prod` on a fresh SQLite database; yields its base URL."""
    env = app_env(
        DATABASE_URL=f"sqlite:///{workdir / 'bench.db'}",
        SECRET_KEY=secrets.token_urlsafe(48),
        REFLEX_STATES_WORKDIR=str(workdir / "states"),
    )
    # The app's default cost (12) is what is measured; nothing may lower it.
    env.pop("BCRYPT_ROUNDS", None)
    if web_workdir:
        env["REFLEX_WEB_WORKDIR"] = web_workdir
    try:
        log = workdir / "reflex.log"
        with prod_app(env=env, log=log, startup_seconds=startup_seconds) as base_url:
            yield base_url
    except AppDidNotStartError as error:
        sys.exit(str(error))


@dataclass
class SocketLog:
    """Websocket messages of one page, with the time (perf_counter) each was seen."""

    frames: list[tuple[float, str, str]] = field(default_factory=list)

    def first(self, direction: str, needle: str, after: float = 0.0) -> float | None:
        """When the first message in this direction containing `needle` was seen."""
        return next(
            (t for t, d, text in self.frames if d == direction and needle in text and t >= after),
            None,
        )


def open_ready(context: BrowserContext, url: str, timeout: float = 30) -> tuple[Page, SocketLog]:
    """A new page on `url`, returned once Reflex has run the page's on_load handlers."""
    page = context.new_page()
    log = SocketLog()

    def record(direction: str) -> Callable[[str | bytes], None]:
        def on_frame(payload: str | bytes) -> None:
            text = payload if isinstance(payload, str) else ""
            log.frames.append((time.perf_counter(), direction, text))

        return on_frame

    def on_socket(socket: WebSocket) -> None:
        socket.on("framereceived", record("in"))
        socket.on("framesent", record("out"))

    page.on("websocket", on_socket)
    page.goto(url)
    deadline = time.monotonic() + timeout
    while log.first("in", HYDRATED) is None:
        if time.monotonic() > deadline:
            sys.exit(f"{url} did not hydrate in {timeout} s")
        page.wait_for_timeout(10)
    return page, log


def sign_up(browser: Browser, base_url: str, username: str) -> None:
    """Create the benchmark user through /signup."""
    context = browser.new_context()
    page, _ = open_ready(context, base_url + "/signup")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("#submit")
    page.wait_for_selector("#account-username", timeout=30_000)
    context.close()


@dataclass(frozen=True)
class Login:
    """One timed login: the total seen in the browser and its phases seen from the socket."""

    total_ms: float
    context: BrowserContext
    phases_ms: dict[str, float]


def timed_login(browser: Browser, base_url: str, username: str, *, remember: bool) -> Login:
    """Milliseconds from the click on "Sign in" to the username on screen, and the context."""
    context = browser.new_context()
    page, log = open_ready(context, base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    if remember:
        page.click("#remember_me")
    page.evaluate(_ARM_CLICK_JS)
    clicked = time.perf_counter()
    page.click("#submit")
    elapsed = page.wait_for_function(
        _SHOWN_SINCE_CLICK_JS, arg=username, polling="raf", timeout=30_000
    ).json_value()
    page.wait_for_timeout(50)
    marks = [
        log.first("out", ".submit", clicked),
        log.first("in", '"handoff_url_rx_state_":"/auth/session', clicked),
        log.first("out", ".finish_handoff", clicked),
        log.first("in", '"_redirect"', clicked),
        log.first("in", '"user_rx_state_"', log.first("in", '"_redirect"', clicked) or clicked),
    ]
    phases: dict[str, float] = {}
    if all(mark is not None for mark in marks):
        sent, handoff, beacon_done, redirected, admin_state = (float(m or 0) for m in marks)
        phases = {
            "submit sent -> session opened (bcrypt, database)": (handoff - sent) * 1000,
            "cookie beacon image loaded": (beacon_done - handoff) * 1000,
            "finish_handoff -> redirect": (redirected - beacon_done) * 1000,
            "/admin on_load -> user in state": (admin_state - redirected) * 1000,
        }
    return Login(float(elapsed), context, phases)


def timed_restore(
    browser: Browser, base_url: str, username: str, cookies: list[SetCookieParam]
) -> float:
    """Milliseconds from navigation start to the username on /admin in a restarted browser."""
    context = browser.new_context()
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(base_url + "/admin", wait_until="commit")
    elapsed = page.wait_for_function(
        _SHOWN_SINCE_NAVIGATION_JS, arg=username, polling="raf", timeout=30_000
    ).json_value()
    context.close()
    return float(elapsed)


def summary(values: list[float]) -> str:
    """min / median / p90 / max in milliseconds."""
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered)) - 1))]
    return (
        f"min {ordered[0]:.0f} ms, median {statistics.median(ordered):.0f} ms, "
        f"p90 {p90:.0f} ms, max {ordered[-1]:.0f} ms (n={len(ordered)})"
    )


def bcrypt_cost_ms(rounds: int = 12, repeat: int = 5) -> float:
    """The median time of one bcrypt check at this cost on this machine."""
    stored = bcrypt.hashpw(b"benchmark password", bcrypt.gensalt(rounds))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        bcrypt.checkpw(b"benchmark password", stored)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def machine() -> str:
    """CPU count, CPU model and RAM of this machine."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        kib = int(meminfo.readline().split()[1])
    return f"{os.cpu_count()} CPUs ({model}), {kib / 1024 / 1024:.1f} GiB RAM, {platform.system()}"


def main() -> None:
    """Parse the arguments, run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description="Login latency through the real UI.")
    parser.add_argument("--iterations", "-n", type=int, default=20, help="logins to time")
    parser.add_argument("--chromium", default=CHROMIUM, help="Chromium executable")
    parser.add_argument(
        "--web-workdir",
        default=os.environ.get("LIVE_APP_WEB_WORKDIR"),
        help="REFLEX_WEB_WORKDIR for the frontend build (default: $LIVE_APP_WEB_WORKDIR or .web)",
    )
    parser.add_argument("--startup-seconds", type=float, default=240)
    args = parser.parse_args()

    print(f"machine: {machine()}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"bcrypt check at cost 12 on this machine: {bcrypt_cost_ms():.0f} ms (median of 5)")
    username = f"bench_{secrets.token_hex(4)}"
    with (
        tempfile.TemporaryDirectory(prefix="nfp-bench-") as tmp,
        running_app(Path(tmp), args.web_workdir, args.startup_seconds) as base_url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        sign_up(browser, base_url, username)
        # One untimed login warms the server (state classes, database pool, bcrypt context).
        timed_login(browser, base_url, username, remember=False).context.close()
        logins: list[Login] = []
        for _ in range(args.iterations):
            login = timed_login(browser, base_url, username, remember=False)
            logins.append(login)
            login.context.close()
        remembered = timed_login(browser, base_url, username, remember=True).context
        cookies: list[SetCookieParam] = [
            {
                "name": c.get("name", ""),
                "value": c.get("value", ""),
                "domain": c.get("domain", "localhost"),
                "path": c.get("path", "/"),
                "expires": c.get("expires", -1),
                "httpOnly": c.get("httpOnly", False),
                "sameSite": c.get("sameSite", "Lax"),
            }
            for c in remembered.cookies()
            if c.get("expires", -1) != -1
        ]
        remembered.close()
        if not cookies:
            sys.exit("the remember-me login left no persistent cookie")
        restores = [
            timed_restore(browser, base_url, username, cookies) for _ in range(args.iterations)
        ]
        browser.close()

    print(f"login, click to username shown: {summary([login.total_ms for login in logins])}")
    phased = [login.phases_ms for login in logins if login.phases_ms]
    for phase in phased[0] if phased else {}:
        values = [phases[phase] for phases in phased]
        print(f"  phase {phase}: median {statistics.median(values):.0f} ms")
    print(f"cookie restore, new context to username shown on /admin: {summary(restores)}")
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
