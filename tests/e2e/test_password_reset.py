"""Forgot and reset password in Chromium, with the real mail the app sends to a real SMTP
server: the neutral answer, the link that works once, scanners, tampering."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.mailbox import MAILBOX
from tests.support.ui import goto_ready, hydrations, login, wait_hydrated

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

NEW_PASSWORD = "violet tractor hums beneath 7 moons"
SUBJECT = "Reset your nfp_app password"
NEUTRAL = "If an account with that name or address exists"


def _ask_for_link(page: Page, app: LiveApp, identifier: str) -> None:
    goto_ready(page, app.url("/login"))
    before = hydrations(page)
    page.click("#forgot-link")
    wait_hydrated(page, before, "/forgot-password")
    page.fill("#identifier", identifier)
    page.click("#submit")
    expect(page.locator("#notice")).to_contain_text(NEUTRAL)


def _token_status(app: LiveApp, password: str, username: str) -> int:
    answer = httpx.post(app.url("/token"), data={"username": username, "password": password})
    return answer.status_code


def test_reset_by_email_link(page: Page, live_app: LiveApp) -> None:
    """The whole flow: ask, get the mail, open the link (after a scanner did), set, sign in."""
    username = unique_name("reset")
    email = f"{username}@mail.example"
    create_user(live_app, username, email=email)
    old_token = httpx.post(
        live_app.url("/token"), data={"username": username, "password": PASSWORD}
    ).json()["access_token"]
    # An unknown account first: the same answer, and no mail to anyone.
    sent_before = len(MAILBOX.messages())
    _ask_for_link(page, live_app, unique_name("ghost"))
    _ask_for_link(page, live_app, email.upper())
    mail = MAILBOX.wait_for(email, SUBJECT)
    # Mail goes out in order: the unknown account's request would have come first.
    assert MAILBOX.messages()[sent_before].to == (email,)
    link = mail.link("/reset-password?token=")
    assert link.startswith(live_app.base_url)
    assert "<a href=" in mail.html()

    # A mail scanner fetches the link first; that uses nothing up.
    assert httpx.get(link, follow_redirects=True).status_code == 200
    goto_ready(page, link)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("#submit")
    expect(page).to_have_url(re.compile(r"/login/?\?notice=password-reset"))
    expect(page.locator("#notice")).to_contain_text("Your password was changed")
    MAILBOX.wait_for(email, "Your nfp_app password was changed")

    assert _token_status(live_app, PASSWORD, username) == 401
    assert _token_status(live_app, NEW_PASSWORD, username) == 200
    me = httpx.get(live_app.url("/users/me/"), headers={"Authorization": f"Bearer {old_token}"})
    assert me.status_code == 401  # every token from before the reset ends

    # The link worked once.
    goto_ready(page, link)
    expect(page.locator("#form-error")).to_contain_text("This link no longer works")
    expect(page.locator("#new-link")).to_be_visible()
    login(page, live_app, username, NEW_PASSWORD)


def test_tampered_link_fails(page: Page, live_app: LiveApp) -> None:
    username = unique_name("tamper")
    email = f"{username}@mail.example"
    create_user(live_app, username, email=email)
    _ask_for_link(page, live_app, username)
    link = MAILBOX.wait_for(email, SUBJECT).link("/reset-password?token=")
    tampered = link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb")
    goto_ready(page, tampered)
    expect(page.locator("#form-error")).to_contain_text("This link no longer works")
    # The real link still works afterwards.
    goto_ready(page, link)
    expect(page.locator("#password")).to_be_visible()
