"""Check that the system Chromium works with the pinned Playwright before the suite starts.

Playwright speaks the DevTools protocol of the Chromium it was built for; Debian's Chromium
follows Debian's schedule. When they drift apart every browser test fails the same way, so
this says so once, naming both versions. Exit status 0 when Chromium opened a page.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

# Run as `python scripts/check_chromium.py`: the checkout, not scripts/, is the import root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

PAGE = "data:text/html,<title>ok</title><p id=probe>chromium works</p>"
LAUNCH_TIMEOUT_MS = 60_000


def playwright_chromium() -> str:
    """The Chromium version the installed Playwright was built and tested against."""
    browsers = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    try:
        listed = json.loads(browsers.read_text())["browsers"]
        return next(b["browserVersion"] for b in listed if b["name"] == "chromium")
    except (OSError, ValueError, KeyError, StopIteration):
        return "unknown"


def system_chromium() -> str:
    """What the Chromium binary says it is."""
    try:
        done = subprocess.run(
            [CHROMIUM, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unknown ({error})"
    first_line = next(iter(done.stdout.strip().splitlines()), "")
    return first_line or f"unknown (exit {done.returncode}: {done.stderr.strip()[:200]})"


def open_probe_page() -> str:
    """Launch Chromium headless, open a data: page and read it back; returns the browser version."""
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=LAUNCH_TIMEOUT_MS
        )
        try:
            page = browser.new_page()
            page.goto(PAGE, timeout=LAUNCH_TIMEOUT_MS)
            text = page.locator("#probe").inner_text(timeout=LAUNCH_TIMEOUT_MS)
            if text != "chromium works":
                raise PlaywrightError(f"the probe page reads {text!r}")
            return browser.version
        finally:
            browser.close()


def main() -> int:
    """Print one line on success; on failure a message naming both versions, and exit 1."""
    versions = (
        f"Playwright {metadata.version('playwright')} (built for Chromium "
        f"{playwright_chromium()}), {CHROMIUM}: {system_chromium()}"
    )
    try:
        browser_version = open_probe_page()
    except PlaywrightError as error:
        print(
            f"Chromium does not work with Playwright: {versions}.\n"
            "Install a Chromium this Playwright supports, or pin a Playwright that supports "
            f"this Chromium (requirements-dev.txt).\nPlaywright said: {error}",
            file=sys.stderr,
        )
        return 1
    print(f"Chromium {browser_version} works with {versions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
