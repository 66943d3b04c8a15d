"""axe-core in Chromium: scan a settled page at WCAG 2.2 A/AA plus best practices."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.support.ui import next_frames

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
}
_AXE = Axe()

# Resolves once every finite CSS animation or transition has finished (a dialog's fade-in, a
# callout sliding in): colours measured mid-fade give false contrast failures. Endless ones
# (spinners) are left out, since they never finish; a paused one would never resolve either,
# so the wait gives up after a few seconds and the scan reports what is on screen then.
_ANIMATIONS_DONE = """() => Promise.race([
    Promise.all(
        document.getAnimations()
            .filter((a) => a.effect?.getComputedTiming().endTime !== Infinity)
            .map((a) => a.finished.catch(() => null))
    ),
    new Promise((done) => setTimeout(done, 5000)),
]).then(() => true)"""


def settle(page: Page) -> None:
    """Wait for the document to load, animations to end and the result to be on screen."""
    page.wait_for_load_state("load")
    page.evaluate(_ANIMATIONS_DONE)
    next_frames(page)


def _report(what: str, found: list[dict[str, Any]]) -> str:
    lines = [f"{what}: {len(found)} accessibility violation(s) at {', '.join(AXE_TAGS)}"]
    for violation in found:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {' > '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            lines.append(f"         {summary}")
    return "\n".join(lines)


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now."""
    return list(_AXE.run(page, options=AXE_OPTIONS).response["violations"])


def problems(page: Page, what: str) -> list[str]:
    """Everything wrong with the settled page: axe's violations (each with its elements), a
    missing <title>, other than exactly one h1."""
    settle(page)
    found: list[str] = []
    axe_found = violations(page)
    if axe_found:
        found.append(_report(what, axe_found))
    if not page.title().strip():
        found.append(f"{what}: the page has no <title>")
    # By role, so that a page hidden behind a modal dialog (aria-hidden) counts only the dialog.
    headings = page.get_by_role("heading", level=1).count()
    if headings != 1:
        found.append(f"{what}: {headings} h1 elements, expected exactly one")
    return found


def assert_accessible(page: Page, what: str) -> None:
    """Fail with the readable report unless the settled page passes (see `problems`)."""
    found = problems(page, what)
    if found:
        pytest.fail("\n\n".join(found), pytrace=False)


class Audit:
    """Scans several states of a test and fails once, at the end, listing all of them: one
    broken page does not hide what is wrong with the next."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.titles: dict[str, str] = {}

    def check(self, page: Page, what: str) -> None:
        """Scan the page as it is now (`what` names page and state, path first)."""
        self.found.extend(problems(page, what))
        self.titles.setdefault(what.split()[0], page.title())

    def assert_clean(self) -> None:
        """Fail with every problem found so far, and when two paths share a title."""
        by_title: dict[str, list[str]] = {}
        for path, title in self.titles.items():
            by_title.setdefault(title, []).append(path)
        for title, paths in by_title.items():
            if len(paths) > 1:
                self.found.append(f"{', '.join(paths)}: the same <title> {title!r}")
        if self.found:
            pytest.fail("\n\n".join(self.found), pytrace=False)
