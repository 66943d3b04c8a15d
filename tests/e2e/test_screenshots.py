"""Screenshots of the pages, taken from the live app into test-results/screenshots/.

`scripts/screenshots.sh` runs this test and copies the pictures to docs/screenshots/, so a test
run never rewrites tracked files.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Literal

import httpx
import pytest
from playwright.sync_api import Page, expect

from nfp_app import routes
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.mfa_page import open_setup
from tests.support.overrides import Override
from tests.support.passkeys_ui import add_passkey
from tests.support.prod_app import ROOT
from tests.support.two_factor_ui import enrolled_user, password_step
from tests.support.ui import (
    PHONE,
    VIEWPORT,
    ContextFactory,
    fill_signup,
    goto_ready,
    login,
    new_page,
)
from tests.support.virtual_authenticator import attach

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SCREENSHOTS = ROOT / "test-results" / "screenshots"
# Every CSS transition and animation of the page has run its course.
_SETTLED = "document.getAnimations().every((a) => a.playState !== 'running')"


def _png_size(picture: bytes) -> tuple[int, int]:
    assert picture[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", picture[16:24])  # the IHDR chunk comes first
    return width, height


def _shoot(page: Page, name: str, blank: bytes, *, full_page: bool = False) -> Path:
    page.wait_for_function(_SETTLED)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    picture = page.screenshot(path=path, full_page=full_page)
    width, height = _png_size(picture)
    window = page.viewport_size or VIEWPORT
    assert width == window["width"]
    # A whole-page picture is as tall as the page, and never shorter than the window.
    assert height > window["height"] if full_page else height == window["height"]
    assert picture != blank, f"{name} shows an empty page"
    return path


def test_screenshots(
    page: Page, live_app: LiveApp, new_context: ContextFactory, override: Override
) -> None:
    """login.png, signup.png (with an inline error), login-verify.png (the second step of a
    sign-in with 2FA), admin.png (the console overview),
    account.png (the whole page, for a member signed in on two browsers), account-2fa.png (its
    two-factor set-up with the QR code), and the console's
    console-users.png, console-user.png (with a reason dialog open) and console-audit.png."""
    page.goto("about:blank")
    blank = page.screenshot()

    goto_ready(page, live_app.url("/login"))
    expect(page.locator("#submit")).to_be_enabled()
    _shoot(page, "login.png", blank)

    goto_ready(page, live_app.url("/signup"))
    fill_signup(page, "new_user", PASSWORD, confirm=PASSWORD + "!")
    expect(page.locator("#confirm-error")).to_be_visible()
    _shoot(page, "signup.png", blank)

    two_factor = unique_name("member")
    enrolled_user(live_app, override, two_factor)
    password_step(page, live_app, two_factor)
    _shoot(page, "login-verify.png", blank)

    admin = unique_name("admin")
    make_admin(live_app, admin)
    create_user(live_app, unique_name("member"))
    for _ in range(3):  # failed sign-ins, for the chart's second series
        answer = httpx.post(
            live_app.url("/token"), data={"username": admin, "password": "wrong"}, timeout=30
        )
        assert answer.status_code == 401
    login(page, live_app, admin)
    expect(page.locator("#sign-in-chart svg.recharts-surface").first).to_be_visible()
    page.mouse.move(0, 0)  # no tooltip over the chart
    _shoot(page, "admin.png", blank)

    member = unique_name("member")
    create_user(live_app, member, email=f"{member}@mail.example")
    login(new_page(new_context()), live_app, member)
    account = new_page(new_context())
    login(account, live_app, member)
    goto_ready(account, live_app.url("/account"))
    expect(account.locator("#sessions-table tbody tr")).to_have_count(2)
    expect(account.locator("#events-table tbody tr")).to_have_count(2)
    _shoot(account, "account.png", blank, full_page=True)
    open_setup(account)
    account.locator("#mfa-section").scroll_into_view_if_needed()
    _shoot(account, "account-2fa.png", blank)

    goto_ready(page, live_app.url(routes.ADMIN_USERS))
    expect(page.locator("#users-table tbody tr").first).to_be_visible()
    _shoot(page, "console-users.png", blank)

    page.locator("#users-table tbody tr", has_text=member).get_by_role("link").first.click()
    expect(page.locator("#user-sessions tbody tr")).to_have_count(2)
    page.locator("#user-action-disable").click()
    page.locator("#reason-input").fill("Reported phishing from this account, ticket 4711")
    expect(page.locator("#confirm-action")).to_be_visible()
    _shoot(page, "console-user.png", blank)

    goto_ready(page, live_app.url(routes.ADMIN_AUDIT))
    expect(page.locator("#audit-table tbody tr").first).to_be_visible()
    _shoot(page, "console-audit.png", blank)


def test_screenshot_of_the_passkeys(page: Page, live_app: LiveApp) -> None:
    """account-passkeys.png: /account's passkeys, one on this device and one synced."""
    page.goto("about:blank")
    blank = page.screenshot()
    member = unique_name("maria")
    create_user(live_app, member)
    laptop = attach(page)
    login(page, live_app, member)
    goto_ready(page, live_app.url("/account"))
    add_passkey(page, "Work laptop")
    laptop.remove()
    attach(page, synced=True)
    add_passkey(page, "Phone (password manager)")
    expect(page.locator("#passkeys-table tbody tr")).to_have_count(2)
    page.locator("#passkeys").scroll_into_view_if_needed()
    _shoot(page, "account-passkeys.png", blank)


SCHEMES: tuple[Literal["light", "dark"], ...] = ("light", "dark")


def test_screenshots_light_dark_phone_and_desktop(
    live_app: LiveApp, new_context: ContextFactory
) -> None:
    """<page>-<width>-<scheme>.png for the sign-in, signup, console users and 404 pages, at
    360 px and 1280 px, with the system in light and in dark mode."""
    admin = unique_name("admin")
    make_admin(live_app, admin)
    create_user(live_app, unique_name("member"))
    for scheme in SCHEMES:
        for window in (PHONE, VIEWPORT):
            page = new_page(new_context(viewport=window, color_scheme=scheme))
            page.goto("about:blank")
            blank = page.screenshot()
            suffix = f"{window['width']}-{scheme}.png"

            goto_ready(page, live_app.url("/login"))
            expect(page.locator("#submit")).to_be_enabled()
            _shoot(page, f"login-{suffix}", blank)

            goto_ready(page, live_app.url("/signup"))
            fill_signup(page, "new_user", PASSWORD, confirm=PASSWORD + "!")
            expect(page.locator("#confirm-error")).to_be_visible()
            _shoot(page, f"signup-{suffix}", blank)

            goto_ready(page, live_app.url("/no-such-page"))
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            _shoot(page, f"404-{suffix}", blank)

            login(page, live_app, admin)
            goto_ready(page, live_app.url(routes.ADMIN_USERS))
            expect(page.locator("#users-table tbody tr").first).to_be_visible()
            _shoot(page, f"console-users-{suffix}", blank)
