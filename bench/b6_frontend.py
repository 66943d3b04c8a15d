"""B6: frontend weight and first load of /login, against a blank Reflex app built the same way.

Both apps run `reflex run --env prod` (Reflex compiles the pages and Vite builds the production
bundle at every start): ours from the checkout, the bare app (bench/bare_app) from a copy in a
temporary folder whose `.web` starts from the checkout's installed frontend packages, so both
build with the same versions of Reflex's own packages. Headless Chromium then loads /login (ours)
and / (bare) cold, in a new browser context each time, and sums the JS and CSS it fetched.
Usage: python -m bench.b6_frontend [--smoke] [--loads 9]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Response, sync_playwright

from bench.harness import Figure, Plot, Section, median, percentile, table
from tests.support.live_app import own_web_workdir
from tests.support.prod_app import ROOT, AppProcess, app_env, free_port

BARE_SOURCE = ROOT / "bench" / "bare_app"
CHROMIUM = "/usr/bin/chromium"
# Our /login is usable once its username field and submit button are shown and enabled (the
# button is enabled only after hydration); the bare app's once its button is.
OURS_READY = "input[name=username]", "#submit"
BARE_READY = ("button",)
GZIP_LEVEL = 6
# Wraps WebSocket before the app's scripts run: the time (ms since navigation start) of the
# first frame in which Reflex reports the page hydrated (its on_load handlers have run).
HYDRATION_PROBE = """
(() => {
  window.__hydratedAt = null;
  window.__openedAt = null;
  const Native = window.WebSocket;
  const Probed = function (...args) {
    const socket = new Native(...args);
    socket.addEventListener("open", () => {
      if (window.__openedAt === null) window.__openedAt = performance.now();
    });
    socket.addEventListener("message", (event) => {
      if (window.__hydratedAt === null && typeof event.data === "string"
          && event.data.includes('"is_hydrated_rx_state_":true')) {
        window.__hydratedAt = performance.now();
      }
    });
    return socket;
  };
  Probed.prototype = Native.prototype;
  Object.assign(Probed, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Probed;
})();
"""
# Polled at every animation frame: navigation-relative ms once hydrated and every control shown.
USABLE = """(selectors) => {
  if (window.__hydratedAt === null) return null;
  for (const selector of selectors) {
    const element = document.querySelector(selector);
    if (!element || element.disabled || element.offsetParent === null) return null;
  }
  return performance.now();
}"""


class BareApp(AppProcess):
    """The bare app answers on / (it has no /login)."""

    @property
    def ready_url(self) -> str:
        """Its only page (the backend's /ping with --backend-only)."""
        return self.base_url + ("/ping" if self.backend_only else "/")


def checkout_web() -> Path:
    """The checkout's Reflex build folder, as tests.support.prod_app's apps use it."""
    return Path(os.environ.get("LIVE_APP_WEB_WORKDIR") or ROOT / ".web")


def copy_bare_app(work: Path, *, packages: bool = True) -> Path:
    """bench/bare_app copied to `work`, its .web seeded with the checkout's node_modules."""
    target = work / "bare"
    shutil.copytree(
        BARE_SOURCE, target, ignore=shutil.ignore_patterns("__pycache__", ".web", ".states")
    )
    source = checkout_web()
    if packages and (source / "node_modules").is_dir():
        # npm then only prunes the packages the bare app does not use, offline, in seconds.
        (target / ".web").mkdir()
        subprocess.run(
            ["cp", "-a", "node_modules", "package-lock.json", str(target / ".web")],
            cwd=source,
            check=True,
        )
    return target


def bare_process(work: Path, root: Path) -> BareApp:
    """`reflex run --env prod` of the bare app copy, with Reflex's defaults."""
    env = app_env()
    for name in ("REFLEX_WEB_WORKDIR", "REDIS_URL", "REFLEX_REDIS_URL", "GRANIAN_WORKERS"):
        env.pop(name, None)
    return BareApp(env=env, log=work / "bare.log", root=root, startup_seconds=300)


def ours_process(work: Path) -> AppProcess:
    """`reflex run --env prod` of our app on a fresh SQLite file, one worker, no Redis.

    It builds in a copy of the checkout's .web: a build bakes in its backend's port, and a
    rebuilt shared folder would point any other app served from it (the test suite's
    `live_app`, when the smoke pass runs inside pytest) at this one, and at nothing after.
    """
    port = free_port()
    env = app_env(
        DATABASE_URL=f"sqlite:///{work / 'b6.db'}",
        SECRET_KEY=secrets.token_urlsafe(48),
        ALLOWED_ORIGINS=f"http://localhost:{port}",
        REFLEX_STATES_WORKDIR=str(work / "states"),
        REFLEX_WEB_WORKDIR=str(own_web_workdir(work) if checkout_web().is_dir() else work / "web"),
    )
    for name in ("REDIS_URL", "REFLEX_REDIS_URL", "WEB_WORKERS", "GRANIAN_WORKERS"):
        env.pop(name, None)
    return AppProcess(env=env, log=work / "ours.log", port=port, startup_seconds=300)


@contextmanager
def both_apps(work: Path, *, parallel: bool = False) -> Iterator[tuple[AppProcess, BareApp]]:
    """Our app and the bare app, started (in turn, or at once) and stopped after."""
    ours = ours_process(work)
    bare = bare_process(work, copy_bare_app(work))
    with ExitStack() as stack:
        for app in (ours, bare):
            stack.callback(app.kill)
        if parallel:
            errors: list[BaseException] = []

            def start(app: AppProcess) -> None:
                try:
                    app.start()
                except BaseException as error:  # re-raised below
                    errors.append(error)

            threads = [threading.Thread(target=start, args=(app,)) for app in (ours, bare)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if errors:
                raise errors[0]
        else:
            ours.start()
            bare.start()
        yield ours, bare
        for app in (ours, bare):
            app.stop(20)


@dataclass(frozen=True)
class Asset:
    """One JS or CSS file the page fetched."""

    name: str  # the file name without Vite's content hash
    kind: str  # "js" or "css"
    raw: int
    gzipped: int  # compressed here at GZIP_LEVEL
    served: int  # bytes on the wire (the server sends Reflex's precompressed .gz)


@dataclass(frozen=True)
class Load:
    """One cold load: ms from navigation start until hydrated, and until usable; its assets."""

    opened_ms: float  # the websocket opened
    hydrated_ms: float
    usable_ms: float
    assets: list[Asset]

    @property
    def gzipped(self) -> int:
        """All JS and CSS, gzip-compressed at GZIP_LEVEL."""
        return sum(asset.gzipped for asset in self.assets)

    @property
    def served(self) -> int:
        """All JS and CSS as served."""
        return sum(asset.served for asset in self.assets)


def _asset(response: Response) -> Asset | None:
    kind = response.headers.get("content-type", "")
    if "javascript" not in kind and "css" not in kind:
        return None
    body = response.body()
    stem, _, extension = response.url.split("?")[0].rsplit("/", 1)[-1].rpartition(".")
    match = re.fullmatch(r"(.+)-[A-Za-z0-9_-]{8}", stem)
    return Asset(
        name=f"{match.group(1) if match else stem}.{extension}",
        kind="css" if "css" in kind else "js",
        raw=len(body),
        gzipped=len(gzip.compress(body, GZIP_LEVEL)),
        served=response.request.sizes()["responseBodySize"],
    )


def cold_load(browser: Browser, url: str, selectors: tuple[str, ...]) -> Load:
    """Load `url` in a new context (empty cache) and wait until it is usable."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(HYDRATION_PROBE)
        responses: list[Response] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(url)
        usable = page.wait_for_function(
            USABLE, arg=list(selectors), polling="raf", timeout=60_000
        ).json_value()
        opened, hydrated = page.evaluate("[window.__openedAt, window.__hydratedAt]")
        assets = [asset for response in responses if (asset := _asset(response))]
        return Load(float(opened), float(hydrated), float(usable), assets)
    finally:
        context.close()


def measure(ours_url: str, bare_url: str, *, loads: int) -> tuple[list[Load], list[Load]]:
    """One warm-up load each, then `loads` cold loads of each page, alternating."""
    mine: list[Load] = []
    theirs: list[Load] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            cold_load(browser, ours_url, OURS_READY)
            cold_load(browser, bare_url, BARE_READY)
            for _ in range(loads):
                mine.append(cold_load(browser, ours_url, OURS_READY))
                theirs.append(cold_load(browser, bare_url, BARE_READY))
        finally:
            browser.close()
    return mine, theirs


def _kb(size: float) -> str:
    return f"{size / 1024:,.1f}"


def detail(mine: Load, theirs: Load, top: int = 12) -> str:
    """The largest chunks of each page side by side, then the files only ours loads."""
    ours_sorted = sorted(mine.assets, key=lambda asset: -asset.gzipped)
    bare_sorted = sorted(theirs.assets, key=lambda asset: -asset.gzipped)
    rows = [
        "| # | ours (/login) | gzip KiB | bare (/) | gzip KiB |",
        "|---|---|---|---|---|",
    ]
    for index in range(min(top, max(len(ours_sorted), len(bare_sorted)))):
        left = ours_sorted[index] if index < len(ours_sorted) else None
        right = bare_sorted[index] if index < len(bare_sorted) else None
        rows.append(
            f"| {index + 1} | {left.name if left else ''} | {_kb(left.gzipped) if left else ''} "
            f"| {right.name if right else ''} | {_kb(right.gzipped) if right else ''} |"
        )
    rows.append(
        f"| | **{len(mine.assets)} files** | **{_kb(mine.gzipped)}** "
        f"| **{len(theirs.assets)} files** | **{_kb(theirs.gzipped)}** |"
    )
    return "\n".join(rows)


def groups(load: Load) -> dict[str, int]:
    """Gzip bytes by kind of file: CSS, Reflex's runtime chunks, route chunks, the rest."""
    runtime = {"entry.client.js", "root.js", "components.js", "errorBoundaries.js"}
    out = {
        "CSS": 0,
        "runtime (entry.client, root, components, errorBoundaries)": 0,
        "route chunks": 0,
        "shared chunks ≥ 2 KiB": 0,
        "shared chunks < 2 KiB": 0,
    }
    names = list(out)
    for asset in load.assets:
        if asset.kind == "css":
            index = 0
        elif asset.name in runtime:
            index = 1
        elif asset.name.startswith("_"):
            index = 2
        else:
            index = 3 if asset.gzipped >= 2048 else 4
        out[names[index]] += asset.gzipped
    return out


def section(mine: list[Load], theirs: list[Load], *, smoke: bool) -> Section:
    """Figures, method and details of the measured loads."""
    first_mine, first_theirs = mine[0], theirs[0]
    usable_mine = [load.usable_ms for load in mine]
    usable_theirs = [load.usable_ms for load in theirs]
    weight = Figure(
        key="B6",
        what=f"JS+CSS loaded by /login (gzip -{GZIP_LEVEL})",
        value=first_mine.gzipped / 1024,
        unit="KiB",
        baseline=first_theirs.gzipped / 1024,
        baseline_what="bare Reflex app, /",
        target=1.15,
        extra={
            "served_kib": first_mine.served / 1024,
            "baseline_served_kib": first_theirs.served / 1024,
            "files": len(first_mine.assets),
            "baseline_files": len(first_theirs.assets),
        },
    )
    usable = Figure(
        key="B6",
        what="cold load of /login until the form is usable (median)",
        value=median(usable_mine),
        unit="ms",
        baseline=median(usable_theirs),
        baseline_what="bare app until its button is usable",
        extra={
            "p95_ms": percentile(usable_mine, 0.95),
            "baseline_p95_ms": percentile(usable_theirs, 0.95),
            "hydrated_ms": median([load.hydrated_ms for load in mine]),
            "baseline_hydrated_ms": median([load.hydrated_ms for load in theirs]),
            "socket_open_ms": median([load.opened_ms for load in mine]),
            "baseline_socket_open_ms": median([load.opened_ms for load in theirs]),
        },
    )
    ours_groups, bare_groups = groups(first_mine), groups(first_theirs)
    names = list(ours_groups)
    group_rows = "\n".join(
        f"| {name} | {_kb(ours_groups[name])} | {_kb(bare_groups[name])} |" for name in names
    )
    bare_names = {asset.name for asset in first_theirs.assets}
    only_ours = sorted(
        (asset for asset in first_mine.assets if asset.name not in bare_names),
        key=lambda asset: -asset.gzipped,
    )
    markdown = f"""Both apps run `reflex run --env prod` (one port, Granian, one worker, disk state
manager; Reflex compiles the pages and Vite builds the minified production bundle at every
start). Ours runs from the checkout on an empty SQLite database; the bare app
(`bench/bare_app`: one page, a heading, a button and a counter, the same Radix theme) runs from
a copy in a temporary folder whose `.web` starts from the checkout's installed `node_modules`,
so both are built by the same Reflex, Vite and package versions. Headless Chromium
(`/usr/bin/chromium`, Playwright) loads `/login` (ours) and `/` (bare) in a new browser
context each time (empty cache): {"smoke run, " if smoke else ""}one warm-up load each, then
{len(mine)} cold loads of each, alternating. **Weight**: every JS and CSS response of the
first measured load, compressed here with gzip level {GZIP_LEVEL} (the server sends Reflex's
precompressed `.gz` files: {_kb(first_mine.served)} KiB ours, {_kb(first_theirs.served)} KiB
bare on the wire). **Usable**: milliseconds from navigation start until Reflex's hydration
delta (`is_hydrated: true`, the page's `on_load` handlers have run) has arrived on the
websocket *and* the username field and the submit button (bare: its button) are shown and
enabled, checked at every animation frame. The HTML document itself is not counted.

| chunk group | ours KiB | bare KiB |
|---|---|---|
{group_rows}

{detail(first_mine, first_theirs)}

Files that only our /login loads ({len(only_ours)}, {_kb(sum(a.gzipped for a in only_ours))} KiB):
{", ".join(f"{a.name} {_kb(a.gzipped)}" for a in only_ours[:20])}.

Both pages load Radix Themes' one stylesheet (about 80 KiB gzip) and all of Radix Themes'
JS: Reflex's root module imports the whole library (`import * as radix_ui_themes`, exposed for
dynamic components), in the bare app too. Vite packs it into fewer, larger chunks there
(`root`, `container`) and into more chunks named after one of their modules in ours (`table`,
`select`, `text-area`, ...), so these names do not mean that /login renders a table. What
only ours adds: the page's own code and its memoized components, `@radix-ui/react-form`,
`@simplewebauthn/browser` (passkey sign-in on /login) and the lucide icons. recharts (the
console's chart) is not loaded by /login. Cold-load times (median of {len(mine)}): ours
{median(usable_mine):.0f} ms (socket open at {usable.extra["socket_open_ms"]:.0f} ms, hydrated
at {usable.extra["hydrated_ms"]:.0f} ms), bare {median(usable_theirs):.0f} ms (socket open at
{usable.extra["baseline_socket_open_ms"]:.0f} ms, hydrated at
{usable.extra["baseline_hydrated_ms"]:.0f} ms). Until the socket opens, the browser fetches,
parses and runs the JS; from then until hydration, the server connects the client, sends the
state tree and runs the page's `on_load` handlers: ours runs two on /login
(`LoginState.open_page`, the session check, and `PasskeyLoginState.prepare`, which issues a
passkey sign-in challenge), the bare app none. No target is set for the load time.
"""
    bars_ours = sorted((asset.gzipped for asset in first_mine.assets), reverse=True)[:10]
    bars_bare = sorted((asset.gzipped for asset in first_theirs.assets), reverse=True)[:10]
    plots = [
        Plot(
            name="b6_chunks",
            title="The ten largest JS/CSS files of a cold load (gzip)",
            xlabel="rank",
            ylabel="KiB",
            series={
                "ours /login": [(i + 1, size / 1024) for i, size in enumerate(bars_ours)],
                "bare /": [(i + 1, size / 1024) for i, size in enumerate(bars_bare)],
            },
            kind="bar",
        ),
        Plot(
            name="b6_load",
            title="Cold loads until usable",
            xlabel="load",
            ylabel="ms",
            series={
                "ours /login": [(i + 1, ms) for i, ms in enumerate(usable_mine)],
                "bare /": [(i + 1, ms) for i, ms in enumerate(usable_theirs)],
            },
        ),
    ]
    return Section(
        key="B6",
        title="frontend weight and first load",
        figures=[weight, usable],
        markdown=markdown,
        plots=plots,
    )


def run(*, smoke: bool, loads: int | None = None) -> Section:
    """Start both apps, load their pages cold in Chromium, stop them."""
    count = loads or (2 if smoke else 9)
    with (
        tempfile.TemporaryDirectory(prefix="nfp-b6-") as tmp,
        both_apps(Path(tmp), parallel=smoke) as (ours, bare),
    ):
        mine, theirs = measure(f"{ours.base_url}/login", f"{bare.base_url}/", loads=count)
    return section(mine, theirs, smoke=smoke)


def main() -> None:
    """Parse arguments, measure, print the table and the details."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--loads", type=int, default=None)
    args = parser.parse_args()
    result = run(smoke=args.smoke, loads=args.loads)
    print(table(result.figures))
    print()
    print(result.markdown)


if __name__ == "__main__":
    main()
