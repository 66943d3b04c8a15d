"""Browser fixtures, imported by the conftest of each folder that drives Chromium.

Playwright's sync API allows one instance per thread, and each folder that imports these
fixtures gets its own session-scoped `browser` fixture: they share one Chromium, started by the
first and closed when the last is torn down.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import pytest
from playwright._impl._api_structures import SetCookieParam as NewCookie
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Dialog,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.support.ui import VIEWPORT, ContextFactory, watch_page


class _SharedChromium:
    """One Playwright and one Chromium for the whole run, counted by the fixtures using it."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._users = 0

    def acquire(self) -> Browser:
        if self._browser is None:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        self._users += 1
        return self._browser

    def release(self) -> None:
        self._users -= 1
        if self._users == 0 and self._browser is not None and self._playwright is not None:
            self._browser.close()
            self._playwright.stop()
            self._browser = self._playwright = None


_CHROMIUM = _SharedChromium()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    yield _CHROMIUM.acquire()
    _CHROMIUM.release()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[ContextFactory]:
    """Make extra browser contexts (separate cookie jars), optionally seeded with cookies,
    with another window size or the system's colour scheme."""
    made: list[BrowserContext] = []

    def make(
        cookies: list[NewCookie] | None = None,
        *,
        viewport: ViewportSize = VIEWPORT,
        color_scheme: Literal["light", "dark", "no-preference"] = "light",
    ) -> BrowserContext:
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        context.set_default_timeout(15_000)
        if cookies:
            context.add_cookies(cookies)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(new_context: ContextFactory) -> BrowserContext:
    """A fresh browser context for one test."""
    return new_context()


@pytest.fixture
def dialogs() -> list[str]:
    """Messages of any alert/confirm/prompt dialogs the pages opened."""
    return []


@pytest.fixture
def page(context: BrowserContext, dialogs: list[str]) -> Iterator[Page]:
    """A fresh page; any dialog fails the test, since errors must be shown inline."""

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    opened = watch_page(context.new_page())
    opened.on("dialog", on_dialog)
    yield opened
    assert not dialogs, f"the page opened dialogs: {dialogs}"
