"""A form submitted before the page's scripts have run must not put the password in a URL."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_submit_before_hydration_keeps_password_out_of_urls(
    page: Page, live_app: LiveApp, path: str
) -> None:
    """With the app's scripts not yet loaded, pressing the button leaks nothing into a URL."""
    password = "leaky password 123"
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # Hold back every script, as a slow connection would, so the page stays prerendered HTML.
    page.route("**/*.js", lambda route: route.abort())
    try:
        page.goto(live_app.url(path))
        page.fill("#username", unique_name("early"))
        page.fill("#password", password)
        if path == "/signup":
            page.fill("#confirm", password)
        try:
            with page.expect_request(lambda request: request.is_navigation_request(), timeout=5000):
                # force: the button may be disabled until the app loads; Enter tries the
                # form's implicit submission as well.
                page.click("#submit", force=True)
                page.press("#password", "Enter")
        except PlaywrightTimeoutError:
            pass  # the form did not submit at all, which leaks nothing either
    finally:
        page.unroute_all(behavior="ignoreErrors")
    leaked = [url for url in requested if "leaky" in url]
    assert leaked == [], f"the password went into a URL: {leaked}"
    assert "leaky" not in page.url
