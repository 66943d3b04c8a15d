"""Sign-up, sign-in, "Remember me", logout and redirects, driven through real Chromium."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import (
    COOKIE_NAME,
    ContextFactory,
    fill_login,
    goto_ready,
    hydrations,
    login,
    login_page_ready,
    new_page,
    persistent_cookies,
    sample_frames,
    sampled,
    session_cookie,
    signup,
    wait_hydrated,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

THIRTY_DAYS = 30 * 24 * 3600
LOGIN_WITH_NEXT = re.compile(r"/login/?\?next=")
ADMIN_URL = re.compile(r"^http://localhost:\d+/admin/?$")


def _assert_signed_out_at_login(page: Page) -> None:
    """The page was sent to /login?next=<the admin page> and shows no account."""
    expect(page).to_have_url(LOGIN_WITH_NEXT)
    next_values = parse_qs(urlsplit(page.url).query)["next"]
    assert next_values in (["/admin"], ["/admin/"])
    expect(page.locator("#account-username")).to_have_count(0)


def _content(page: Page) -> str:
    """The page's HTML, retried while a navigation replaces the document."""
    for _ in range(50):
        try:
            return page.content()
        except PlaywrightError:
            page.wait_for_timeout(10)
    return page.content()


def _never_shows(page: Page, text: str, *, until: re.Pattern[str], seconds: float = 10) -> None:
    """Sample the page until its URL matches, failing if the text is ever in it."""
    deadline = time.monotonic() + seconds
    while True:
        assert text not in _content(page), f"{text!r} appeared on {page.url}"
        if until.search(page.url):
            break
        assert time.monotonic() < deadline, f"stuck on {page.url}"
        page.wait_for_timeout(10)
    login_page_ready(page)
    assert text not in _content(page), f"{text!r} appeared on {page.url}"


def test_full_session_lifecycle(page: Page, live_app: LiveApp, new_context: ContextFactory) -> None:
    """Signup, reload, browser restart with and without "Remember me", logout, and Back."""
    username = unique_name("flow")

    # Sign up: straight onto /admin, signed in, with a cookie that ends with the browser.
    signup(page, live_app, username)
    expect(page).to_have_url(ADMIN_URL)
    expect(page.locator("#nav-username")).to_have_text(username)
    first_cookie = session_cookie(page.context)
    assert first_cookie is not None
    assert first_cookie.get("expires") == -1

    page.reload()
    expect(page.locator("#account-username")).to_have_text(username)

    # A browser restart keeps only cookies with an expiry date: without "Remember me", none.
    restarted = persistent_cookies(page.context)
    assert all(cookie.get("name") != COOKIE_NAME for cookie in restarted)
    second = new_page(new_context(restarted))
    goto_ready(second, live_app.url("/admin"))
    _assert_signed_out_at_login(second)

    # Sign in with "Remember me": an HttpOnly, SameSite=Lax cookie for 30 days.
    before = hydrations(second)
    fill_login(second, username, PASSWORD, remember=True)
    wait_hydrated(second, before)
    expect(second.locator("#account-username")).to_have_text(username)
    remembered = session_cookie(second.context)
    assert remembered is not None
    assert remembered.get("httpOnly") is True
    assert remembered.get("sameSite") == "Lax"
    assert remembered.get("path") == "/"
    assert abs(remembered.get("expires", -1) - time.time() - THIRTY_DAYS) < 300

    # After a restart, the remembered cookie alone opens /admin.
    third = new_page(new_context(persistent_cookies(second.context)))
    goto_ready(third, live_app.url("/admin"))
    expect(third.locator("#account-username")).to_have_text(username)
    expect(third.locator("#nav-username")).to_have_text(username)

    # Two real page loads, so that Back after logout returns to a signed-in /admin document.
    goto_ready(third, live_app.url("/admin"))
    expect(third.locator("#account-username")).to_have_text(username)
    third.click("#logout")
    expect(third).to_have_url(re.compile(r"/login/?$"))
    expect(third.locator("#username")).to_be_visible()
    assert session_cookie(third.context) is None

    sample_frames(third, username)
    third.go_back()
    _never_shows(third, username, until=LOGIN_WITH_NEXT)
    _assert_signed_out_at_login(third)
    assert sampled(third).frames > 2
    assert sampled(third).leaks == []

    goto_ready(third, live_app.url("/admin"))
    _assert_signed_out_at_login(third)

    # Logout revoked the session on the server: `second`, which holds a copy of the same
    # cookie, was signed out by the server, without a click or a reload.
    assert session_cookie(second.context) is not None
    expect(second).to_have_url(re.compile(r"/login/?\?notice=signed-out"), timeout=2_000)
    goto_ready(second, live_app.url("/admin"))
    _assert_signed_out_at_login(second)


def test_wrong_password_and_unknown_user_look_the_same(page: Page, live_app: LiveApp) -> None:
    """Neither the text nor the element tells a wrong password from an unknown user."""
    username = unique_name("known")
    create_user(live_app, username)
    seen: list[tuple[str, str | None, str]] = []
    for name, password in (
        (username, "wrong-Pass-93-tulip"),
        (unique_name("nobody"), PASSWORD),
    ):
        goto_ready(page, live_app.url("/login"))
        fill_login(page, name, password)
        error = page.locator("#form-error")
        expect(error).to_be_visible()
        tag = error.evaluate("element => element.tagName")
        seen.append((error.inner_text(), error.get_attribute("role"), tag))
        expect(page.locator("#password")).to_have_value("")
        expect(page.locator("#account-username")).to_have_count(0)
        assert session_cookie(page.context) is None
    assert seen[0] == seen[1]
    assert seen[0][0] == "Incorrect username or password."


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [
        pytest.param("/admin/?tab=users", re.compile(r"/admin/?\?tab=users$"), id="same-site"),
        pytest.param("https://evil.example/steal", ADMIN_URL, id="absolute-url"),
        pytest.param("//evil.example/steal", ADMIN_URL, id="protocol-relative"),
    ],
)
def test_next_parameter(
    page: Page, live_app: LiveApp, next_path: str, expected: re.Pattern[str]
) -> None:
    """`?next=` is followed for a path on this site and ignored for anything else."""
    username = unique_name("next")
    create_user(live_app, username)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    login(page, live_app, username, next_path=next_path)
    expect(page).to_have_url(expected)
    assert urlsplit(page.url).hostname == "localhost"
    assert not [url for url in requested if "evil.example" in urlsplit(url).netloc]
