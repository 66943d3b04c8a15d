"""Screenshots of the three pages for the documentation, taken from the live app."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    PASSWORD,
    ROOT,
    create_user,
    fill_signup,
    goto_ready,
    login,
    make_admin,
    unique_name,
)
from tests.support.live_app import LiveApp

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SCREENSHOTS = ROOT / "docs" / "screenshots"


def _shoot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.wait_for_timeout(300)  # let transitions settle
    page.screenshot(path=path)
    assert path.stat().st_size > 5_000
    return path


def test_screenshots(page: Page, live_app: LiveApp) -> None:
    """docs/screenshots/login.png, signup.png (with an inline error) and admin.png."""
    assert page.viewport_size == {"width": 1280, "height": 800}

    goto_ready(page, live_app.url("/login"))
    expect(page.locator("#submit")).to_be_visible()
    _shoot(page, "login.png")

    goto_ready(page, live_app.url("/signup"))
    fill_signup(page, "new_user", PASSWORD, confirm=PASSWORD + "!")
    expect(page.locator("#confirm-error")).to_be_visible()
    _shoot(page, "signup.png")

    admin = unique_name("admin")
    make_admin(live_app, admin)
    create_user(live_app, unique_name("member"))
    login(page, live_app, admin)
    expect(page.locator("#users-table")).to_be_visible()
    _shoot(page, "admin.png")
