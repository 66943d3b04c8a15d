"""Two-factor authentication on /account in Chromium: set up with the secret read from the page
(codes computed with pyotp here), recovery codes shown once and downloaded, new codes, turn off,
and the security emails."""

from __future__ import annotations

import base64

import httpx
import pytest
from playwright.sync_api import Page, expect

from nfp_app import routes
from tests.support.accounts import PASSWORD, create_user, unique_name
from tests.support.live_app import LiveApp
from tests.support.mailbox import MAILBOX
from tests.support.mfa_page import QR_PREFIX, activate, code_now, open_setup
from tests.support.ui import goto_ready, login

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def _token(app: LiveApp, username: str) -> httpx.Response:
    return httpx.post(
        app.url("/token"), data={"username": username, "password": PASSWORD}, timeout=30
    )


def _open_account(page: Page, app: LiveApp) -> None:
    goto_ready(page, app.url(routes.ACCOUNT))
    expect(page.locator("#mfa-status")).to_be_visible()


def test_set_up_download_new_codes_and_turn_off(page: Page, live_app: LiveApp) -> None:
    username = unique_name("tfa")
    email = f"{username}@mail.example"
    create_user(live_app, username, email=email)
    login(page, live_app, username)
    _open_account(page, live_app)
    expect(page.locator("#mfa-status")).to_contain_text("Off")

    # A wrong password shows no secret, and puts the focus back in the field.
    page.click("#mfa-begin")
    page.fill("#mfa_password", "not the password at all")
    page.click("#mfa-continue")
    expect(page.locator("#mfa_password-error")).to_contain_text("wrong")
    expect(page.locator("#mfa_password")).to_be_focused()
    expect(page.locator("#mfa_password")).to_have_attribute("autocomplete", "current-password")
    expect(page.locator("#mfa-qr")).to_have_count(0)

    secret = open_setup(page, begin=False)
    qr = page.locator("#mfa-qr")
    assert (qr.get_attribute("src") or "").startswith(QR_PREFIX)
    svg = base64.b64decode((qr.get_attribute("src") or "")[len(QR_PREFIX) :]).decode()
    assert "<svg" in svg
    assert "QR code" in (qr.get_attribute("alt") or "")
    # The browser drew it (a broken image has no natural size).
    page.wait_for_function("document.getElementById('mfa-qr').naturalWidth > 0")
    code_field = page.locator("#mfa_code")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    # Not on yet: the password alone still gives a token.
    assert _token(live_app, username).status_code == 200

    code_field.fill("000000")
    page.click("#mfa-activate")
    expect(page.locator("#mfa_code-error")).to_contain_text("not right")
    codes = activate(page, secret)
    assert len(set(codes)) == 10
    expect(page.locator("#mfa-status")).to_contain_text("Recovery codes left: 10")
    expect(page.locator("#mfa-secret")).to_have_count(0)
    MAILBOX.wait_for(email, "Two-factor authentication was turned on")

    with page.expect_download() as downloading:
        page.click("#mfa-download-codes")
    download = downloading.value
    assert download.suggested_filename == "nfp_app-recovery-codes.txt"
    saved = download.path().read_text()
    assert all(code in saved for code in codes)
    page.click("#mfa-codes-saved")
    expect(page.locator("#recovery-codes")).to_have_count(0)

    # REST: the password alone is no longer enough; a recovery code finishes the sign-in.
    refused = _token(live_app, username)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "mfa_required"
    second = httpx.post(
        live_app.url("/token/mfa"),
        data={"mfa_token": refused.json()["mfa_token"], "code": codes[0]},
        timeout=30,
    )
    assert second.status_code == 200, second.text
    _open_account(page, live_app)
    expect(page.locator("#mfa-status")).to_contain_text("Recovery codes left: 9")

    page.fill("#regen_password", PASSWORD)
    page.click("#mfa-regenerate")
    items = page.locator("#recovery-codes-list li")
    expect(items).to_have_count(10)
    new_codes = [text.strip() for text in items.all_inner_texts()]
    assert not set(new_codes) & set(codes)
    expect(page.locator("#mfa-status")).to_contain_text("Recovery codes left: 10")
    page.click("#mfa-codes-saved")
    expect(items).to_have_count(0)

    page.fill("#off_password", "not the password at all")
    page.fill("#off_code", code_now(secret, steps_ahead=1))
    page.click("#mfa-turn-off")
    expect(page.locator("#mfa-off-error")).to_contain_text("wrong")
    expect(page.locator("#off_password")).to_be_focused()
    page.fill("#off_password", PASSWORD)
    # The next step's code: newer than the one that turned it on (one step of drift allowed).
    page.fill("#off_code", code_now(secret, steps_ahead=1))
    page.click("#mfa-turn-off")
    expect(page.locator("#mfa-status")).to_contain_text("Off")
    expect(page.locator("#mfa-begin")).to_be_visible()
    MAILBOX.wait_for(email, "Two-factor authentication was turned off")
    assert _token(live_app, username).status_code == 200


def test_leaving_the_page_drops_the_secret(page: Page, live_app: LiveApp) -> None:
    username = unique_name("tfa")
    create_user(live_app, username)
    login(page, live_app, username)
    _open_account(page, live_app)
    secret = open_setup(page)
    # A password typed here within 5 minutes counts: the next set-up asks for none.
    page.click("#mfa-cancel")
    page.click("#mfa-begin")
    expect(page.locator("#mfa-qr")).to_be_visible()
    second = page.locator("#mfa-secret").inner_text().strip()
    assert second != secret
    page.reload()
    expect(page.locator("#mfa-begin")).to_be_visible()
    expect(page.locator("#mfa-secret")).to_have_count(0)
    assert second not in page.content()
