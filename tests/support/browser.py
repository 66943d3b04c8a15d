"""Browser fixtures, as a plugin so that every test folder shares one Chromium per session."""

# Playwright's sync API allows one instance per thread: a second `browser` fixture defined in
# another folder's conftest would fail while the first one is open.

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright._impl._api_structures import SetCookieParam as NewCookie
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, sync_playwright

from tests.e2e.conftest import VIEWPORT, ContextFactory, watch_page
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[ContextFactory]:
    """Make extra browser contexts (separate cookie jars), optionally seeded with cookies."""
    made: list[BrowserContext] = []

    def make(cookies: list[NewCookie] | None = None) -> BrowserContext:
        context = browser.new_context(viewport=VIEWPORT)
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
