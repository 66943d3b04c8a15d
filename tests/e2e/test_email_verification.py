"""REQUIRE_EMAIL_VERIFICATION on: signup needs an email, sign-in waits for the link, the link
confirms the address, and the resend is throttled. Off (the default) is every other test."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.mailbox import MAILBOX
from tests.support.ui import fill_login, fill_signup, goto_ready, login

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SUBJECT = "Confirm your email for nfp_app"


@pytest.fixture(scope="module")
def verifying_app(live_app: LiveApp, live_app_factory: LiveAppFactory) -> Iterator[LiveApp]:
    """A second app, with its own frontend build, that requires confirmed emails."""
    del live_app  # started first, so that the frontend packages are installed
    with live_app_factory(backend_only=False, REQUIRE_EMAIL_VERIFICATION="true") as app:
        yield app


def test_signup_then_confirm_then_sign_in(page: Page, verifying_app: LiveApp) -> None:
    username = unique_name("ver")
    email = f"{username}@mail.example"
    goto_ready(page, verifying_app.url("/signup"))
    # The browser itself asks for the address (the server refuses a signup without one too).
    expect(page.locator("#email")).to_have_attribute("required", "")
    fill_signup(page, username, PASSWORD, email=email)
    expect(page.locator("#notice")).to_contain_text("Almost done")
    link = MAILBOX.wait_for(email, SUBJECT).link("/verify-email?token=")

    # Before the link: the right password explains what to do, and offers to resend.
    goto_ready(page, verifying_app.url("/login"))
    fill_login(page, username, PASSWORD)
    expect(page.locator("#form-error")).to_contain_text("Confirm your email address first")
    page.click("#resend-verification")
    expect(page.locator("#notice")).to_contain_text("A new confirmation link is on its way")
    newer = MAILBOX.wait_for(email, SUBJECT, after=1).link("/verify-email?token=")
    assert newer != link
    token = httpx.post(
        verifying_app.url("/token"), data={"username": username, "password": PASSWORD}
    )
    assert token.status_code == 403

    # A mail scanner opens the link first: that confirms nothing and uses nothing up.
    assert httpx.get(newer, follow_redirects=True).status_code == 200
    goto_ready(page, newer)
    page.click("#confirm")
    expect(page).to_have_url(re.compile(r"/login/?\?notice=email-verified"))
    login(page, verifying_app, username)
    # The older link was replaced by the newer one.
    goto_ready(page, link)
    page.click("#confirm")
    expect(page.locator("#form-error")).to_contain_text("This link no longer works")


def test_rest_signup_needs_an_email(verifying_app: LiveApp) -> None:
    with httpx.Client(base_url=verifying_app.base_url, timeout=30) as http:
        name = unique_name("rv")
        missing = http.post("/users/", json={"username": name, "password": PASSWORD})
        assert missing.status_code == 422
        made = http.post(
            "/users/",
            json={"username": name, "password": PASSWORD, "email": f"{name}@mail.example"},
        )
        assert made.status_code == 200
        MAILBOX.wait_for(f"{name}@mail.example", SUBJECT)
        assert http.post("/token", data={"username": name, "password": PASSWORD}).status_code == 403
