"""Passkeys in Chromium, on its virtual authenticator (CDP WebAuthn): add, sign in, remove."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from nfp_app.infra import db
from nfp_app.models import PasskeyCredential
from nfp_app.services import accounts
from nfp_app.services.passkey_manage import LAST_PASSKEY
from nfp_app.state.account_set_password import SET
from nfp_app.state.ceremony_results import UNSUPPORTED
from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp
from tests.support.passkeys_ui import (
    account_with_passkey,
    drop_password,
    mediations,
    passkey_rows,
    record_mediations,
    signed_in_as,
    signed_out_login,
)
from tests.support.two_factor_ui import user_id
from tests.support.ui import goto_ready, hydrations, sent_frames
from tests.support.virtual_authenticator import attach

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

NEW_PASSWORD = "quiet-Meadow-82-compass"


def _stored(app: LiveApp, username: str) -> list[PasskeyCredential]:
    with Session(db.engine_for(app.database_url)) as session:
        query = select(PasskeyCredential).where(
            col(PasskeyCredential.user_id) == user_id(app, username)
        )
        return list(session.exec(query).all())


def test_register_a_passkey(page: Page, live_app: LiveApp) -> None:
    """After the password, a named passkey is created on the authenticator and listed."""
    username = unique_name("pk")
    authenticator = account_with_passkey(page, live_app, username, "Work laptop")
    held = authenticator.credentials()
    assert len(held) == 1
    assert held[0]["isResidentCredential"] is True
    assert held[0]["rpId"] == "localhost"
    [stored] = _stored(live_app, username)
    assert stored.name == "Work laptop"
    row = page.locator("#passkeys-table tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(2)).to_have_text("never")


def test_sign_in_with_the_button(page: Page, live_app: LiveApp) -> None:
    """No username, no password: the button's passkey opens a session, and it counts as used."""
    username = unique_name("pkb")
    authenticator = account_with_passkey(page, live_app, username)
    record_mediations(page)
    # Without a touch the autofill request waits; the button's request must do the work.
    authenticator.set_presence(False)
    signed_out_login(page, live_app)
    expect(page.locator("#passkey-sign-in")).to_be_enabled()
    page.wait_for_function("window.__mediations?.length === 1")
    authenticator.set_presence(True)
    before = hydrations(page)
    page.click("#passkey-sign-in")
    signed_in_as(page, username, before)
    # simplewebauthn aborted the pending autofill request and made an ordinary one.
    assert mediations(page) == ["conditional", ""]
    [stored] = _stored(live_app, username)
    assert stored.last_used_at is not None


def test_cancelled_request_says_so(page: Page, live_app: LiveApp) -> None:
    """A refused user verification shows a message, and the button works again afterwards."""
    username = unique_name("pkc")
    authenticator = account_with_passkey(page, live_app, username)
    authenticator.set_user_verified(False)
    signed_out_login(page, live_app)
    page.click("#passkey-sign-in")
    expect(page.locator("#passkey-error")).to_contain_text("cancelled")
    expect(page).to_have_url(re.compile(r"/login/?$"))
    authenticator.set_user_verified(True)
    expect(page.locator("#passkey-sign-in")).to_be_enabled()
    before = hydrations(page)
    page.click("#passkey-sign-in")
    signed_in_as(page, username, before)


def test_sign_in_through_autofill(page: Page, live_app: LiveApp) -> None:
    """The conditional request on the username field signs in, with no click at all.

    Chromium dispatches a conditional request to a virtual authenticator at once (there is no
    autofill menu to pick from headless), so the request that /login starts on its own, with
    mediation "conditional", is what completes here.
    """
    username = unique_name("pka")
    account_with_passkey(page, live_app, username)
    record_mediations(page)
    page.context.clear_cookies()
    before = hydrations(page)
    page.goto(live_app.url("/login"))
    expect(page.locator("#username")).to_have_attribute("autocomplete", "username webauthn")
    signed_in_as(page, username, before)
    assert mediations(page) == ["conditional"]
    assert any("finish_autofill" in frame for frame in sent_frames(page))


def test_remove_a_passkey(page: Page, live_app: LiveApp) -> None:
    """An account with a password may remove its only passkey, after a confirmation."""
    username = unique_name("pkr")
    account_with_passkey(page, live_app, username)
    [stored] = _stored(live_app, username)
    page.click(f"#remove-passkey-{stored.id}")
    page.click("#confirm-remove-passkey")
    expect(page.locator("#passkeys-notice")).to_have_text("The passkey was removed.")
    expect(page.locator("#no-passkeys")).to_be_visible()
    assert _stored(live_app, username) == []


def test_last_passkey_of_a_passwordless_account_stays(page: Page, live_app: LiveApp) -> None:
    """Removing the only way to sign in is refused, with the reason on screen."""
    username = unique_name("pkl")
    account_with_passkey(page, live_app, username)
    drop_password(live_app, username)
    goto_ready(page, live_app.url("/account"))
    [stored] = _stored(live_app, username)
    page.click(f"#remove-passkey-{stored.id}")
    page.click("#confirm-remove-passkey")
    expect(page.locator("#passkeys-error")).to_have_text(LAST_PASSKEY)
    assert passkey_rows(page) == ["Laptop"]
    assert len(_stored(live_app, username)) == 1


def test_rename_a_passkey(page: Page, live_app: LiveApp) -> None:
    """A new name shows in the list and is stored."""
    username = unique_name("pkn")
    account_with_passkey(page, live_app, username)
    [stored] = _stored(live_app, username)
    page.click(f"#rename-passkey-{stored.id}")
    page.fill("#passkey_name", "Phone")
    page.click("#save-passkey-name")
    expect(page.locator("#passkeys-notice")).to_have_text("Renamed to “Phone”.")
    assert passkey_rows(page) == ["Phone"]
    assert [row.name for row in _stored(live_app, username)] == ["Phone"]


def test_passwordless_account_sets_a_password(page: Page, live_app: LiveApp) -> None:
    """No current password to ask for: a passkey confirms the user, then the new password."""
    username = unique_name("pkp")
    account_with_passkey(page, live_app, username)
    drop_password(live_app, username)
    goto_ready(page, live_app.url("/account"))
    expect(page.locator("#password-section h2")).to_have_text("Set a password")
    expect(page.locator("#current")).to_have_count(0)
    page.click("#set-password")
    page.click("#set-password-reauth")
    expect(page.locator("#password")).to_be_focused()
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("#submit")
    expect(page.locator("#password-notice")).to_have_text(SET)
    expect(page.locator("#password-section h2")).to_have_text("Change password")
    with Session(db.engine_for(live_app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert accounts.has_password(user)


def test_passwordless_account_adds_a_passkey(page: Page, live_app: LiveApp) -> None:
    """With no password, a passkey re-authenticates the user before another is added."""
    username = unique_name("pkq")
    first = account_with_passkey(page, live_app, username)
    drop_password(live_app, username)
    goto_ready(page, live_app.url("/account"))
    page.click("#add-passkey")
    expect(page.locator("#passkey_password")).to_have_count(0)
    page.click("#passkey-reauth")
    expect(page.locator("#new_passkey_name")).to_be_focused()
    # The new passkey goes on another device (this one holds the first, which is excluded).
    first.remove()
    attach(page)
    page.fill("#new_passkey_name", "Tablet")
    page.click("#create-passkey")
    expect(page.locator("#passkeys-notice")).to_have_text("Passkey “Tablet” added.")
    assert passkey_rows(page) == ["Tablet", "Laptop"]


def test_a_browser_without_webauthn_is_told(page: Page, live_app: LiveApp) -> None:
    """No PublicKeyCredential: /login says passkeys are unavailable and the button stays off."""
    page.add_init_script("delete window.PublicKeyCredential")
    goto_ready(page, live_app.url("/login"))
    expect(page.locator("#passkey-unsupported")).to_have_text(UNSUPPORTED)
    expect(page.locator("#passkey-sign-in")).to_be_disabled()
    expect(page.locator("#submit")).to_be_enabled()
