"""A passkey instead of the TOTP code at /login/verify, in Chromium's virtual authenticator."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from nfp_app.infra import db
from tests.support.accounts import PASSWORD, unique_name
from tests.support.live_app import LiveApp
from tests.support.mfa import enable_mfa
from tests.support.overrides import Override
from tests.support.passkeys_ui import account_with_passkey, signed_in_as, signed_out_login
from tests.support.two_factor_ui import VERIFY_URL, enrolled_user, password_step, user_id
from tests.support.ui import fill_login, hydrations, wait_hydrated

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_passkey_as_the_second_factor(page: Page, live_app: LiveApp, override: Override) -> None:
    """After the password, "Use a passkey" completes the sign-in without a code."""
    username = unique_name("pk2")
    authenticator = account_with_passkey(page, live_app, username)
    override(SECRET_KEY=live_app.secret_key)
    enable_mfa(db.engine_for(live_app.database_url), user_id(live_app, username), PASSWORD)
    # The password step, with the authenticator silent so that /login's autofill waits.
    authenticator.set_presence(False)
    signed_out_login(page, live_app)
    before = hydrations(page)
    fill_login(page, username, PASSWORD)
    wait_hydrated(page, before, "/login/verify")
    expect(page).to_have_url(VERIFY_URL)
    expect(page.locator("#code")).to_be_visible()
    expect(page.locator("#use-passkey")).to_be_enabled()
    # /login's autofill request ended with its page: a touch now answers nothing but the button.
    authenticator.set_presence(True)
    expect(page).to_have_url(VERIFY_URL)
    before = hydrations(page)
    page.click("#use-passkey")
    signed_in_as(page, username, before)


def test_no_passkey_no_offer(page: Page, live_app: LiveApp, override: Override) -> None:
    """An account with 2FA but no passkey sees only the code form."""
    username = unique_name("pk2n")
    enrolled_user(live_app, override, username)
    password_step(page, live_app, username)
    expect(page.locator("#submit")).to_be_enabled()
    expect(page.locator("#use-passkey")).to_have_count(0)
