"""Driving the "Two-factor authentication" section of /account in a browser."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect
from pyotp.totp import TOTP

from tests.support.accounts import PASSWORD

QR_PREFIX = "data:image/svg+xml;base64,"


def code_now(secret: str, *, steps_ahead: int = 0) -> str:
    """The authenticator app's code, computed here (`steps_ahead` 30-s steps later)."""
    return TOTP(secret).at(time.time() + 30 * steps_ahead)


def open_setup(page: Page, password: str = PASSWORD, *, begin: bool = True) -> str:
    """Start the set-up (`begin`: press its button first) with the password; the secret the
    page shows as text."""
    if begin:
        page.click("#mfa-begin")
    expect(page.locator("#mfa_password")).to_be_visible()
    page.fill("#mfa_password", password)
    page.click("#mfa-continue")
    expect(page.locator("#mfa-qr")).to_be_visible()
    secret = page.locator("#mfa-secret").inner_text().strip()
    assert len(secret) == 32, secret  # 160 bits in base32
    return secret


def activate(page: Page, secret: str) -> list[str]:
    """Type the app's current code; the ten recovery codes the page then shows."""
    page.fill("#mfa_code", code_now(secret))
    page.click("#mfa-activate")
    items = page.locator("#recovery-codes-list li")
    expect(items).to_have_count(10)
    return [text.strip() for text in items.all_inner_texts()]
