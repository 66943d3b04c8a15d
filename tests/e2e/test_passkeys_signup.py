"""PASSKEY_SIGNUP on: an account made with a passkey alone. Off (the default): no such offer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session

from nfp_app.infra import db
from nfp_app.services import accounts
from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp, LiveAppFactory
from tests.support.passkeys_ui import passkey_rows, signed_in_as
from tests.support.ui import goto_ready, hydrations
from tests.support.virtual_authenticator import attach

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


@pytest.fixture(scope="module")
def passkey_signup_app(live_app: LiveApp, live_app_factory: LiveAppFactory) -> Iterator[LiveApp]:
    """A second app, with its own frontend build, that lets people sign up with a passkey."""
    del live_app  # started first, so that the frontend packages are installed
    with live_app_factory(backend_only=False, PASSKEY_SIGNUP="true") as app:
        yield app


def test_sign_up_with_a_passkey(page: Page, passkey_signup_app: LiveApp) -> None:
    """Username and email, then the passkey: signed in, no password, the passkey listed."""
    app = passkey_signup_app
    username = unique_name("pks")
    attach(page)
    goto_ready(page, app.url("/signup"))
    page.click("#passkey-signup-switch")
    expect(page.locator("#passkey_username")).to_be_focused()
    expect(page.locator("#password")).to_have_count(0)
    page.fill("#passkey_username", username)
    page.click("#passkey-signup-continue")
    before = hydrations(page)
    page.click("#passkey-signup-create")
    signed_in_as(page, username, before)
    goto_ready(page, app.url("/account"))
    assert passkey_rows(page) == ["Passkey"]
    expect(page.locator("#password-section h2")).to_have_text("Set a password")
    with Session(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert not accounts.has_password(user)


def test_no_passkey_signup_by_default(page: Page, live_app: LiveApp) -> None:
    """With PASSKEY_SIGNUP off the signup page offers the password form only."""
    goto_ready(page, live_app.url("/signup"))
    expect(page.locator("#submit")).to_be_enabled()
    expect(page.locator("#passkey-signup-switch")).to_have_count(0)
