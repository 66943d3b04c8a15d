"""axe-core at WCAG 2.2 A/AA plus best practices over every page and state, in the light and
the dark colour scheme; each page also has its own <title> and exactly one h1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import MAX_ROW_ID
from nfp_app.pages import PAGES
from nfp_app.services import accounts, notes
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.axe import Audit
from tests.support.live_app import LiveApp
from tests.support.mailbox import MAILBOX
from tests.support.mfa import enable_mfa
from tests.support.mfa_page import activate, open_setup
from tests.support.overrides import Override
from tests.support.passkeys_ui import add_passkey, drop_password, signed_out_login
from tests.support.two_factor_ui import (
    enrolled_user,
    enter_code,
    password_step,
    refused,
    user_id,
    wrong_code,
)
from tests.support.ui import (
    PHONE,
    VIEWPORT,
    ContextFactory,
    fill_login,
    fill_signup,
    goto_ready,
    hydrations,
    login,
    new_page,
    wait_answered,
    wait_hydrated,
)
from tests.support.virtual_authenticator import attach

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

RESET_SUBJECT = "Reset your nfp_app password"
NO_MATCH = "zz-no-such-account"


@pytest.fixture(params=["light", "dark"])
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    """A fresh context whose system colour scheme is light or dark (overrides conftest's)."""
    made = browser.new_context(viewport=VIEWPORT, color_scheme=request.param)
    made.set_default_timeout(15_000)
    yield made
    made.close()


def test_every_page_has_its_own_title() -> None:
    titles = [page.full_title for page in PAGES]
    assert all(title.strip() for title in titles)
    assert len(set(titles)) == len(titles), titles


def test_signed_out_pages(page: Page, live_app: LiveApp) -> None:
    audit = Audit()
    username = unique_name("a11y")
    email = f"{username}@mail.example"
    create_user(live_app, username, email=email)

    goto_ready(page, live_app.url(routes.LOGIN))
    audit.check(page, "/login")
    fill_login(page, username, "not the password at all")
    expect(page.locator("#form-error")).to_be_visible()
    audit.check(page, "/login (failed sign-in)")

    goto_ready(page, live_app.url(routes.SIGNUP))
    page.fill("#password", "short")
    expect(page.locator("#strength-label")).to_be_visible()
    audit.check(page, "/signup (strength meter)")
    page.fill("#username", username)
    page.fill("#password", "plum-Harbor-47-lantern")
    page.fill("#confirm", "something else entirely")
    page.click("#submit")
    expect(page.locator("#confirm-error")).to_be_visible()
    audit.check(page, "/signup (errors)")

    goto_ready(page, live_app.url(routes.FORGOT_PASSWORD))
    audit.check(page, "/forgot-password")
    page.fill("#identifier", email)
    page.click("#submit")
    expect(page.locator("#notice")).to_be_visible()
    audit.check(page, "/forgot-password (sent)")

    goto_ready(page, MAILBOX.wait_for(email, RESET_SUBJECT).link("/reset-password?token="))
    expect(page.locator("#password")).to_be_visible()
    audit.check(page, "/reset-password (valid link)")
    goto_ready(page, live_app.url(f"{routes.RESET_PASSWORD}?token=not-a-token"))
    expect(page.locator("#form-error")).to_be_visible()
    audit.check(page, "/reset-password (invalid link)")

    goto_ready(page, live_app.url(f"{routes.VERIFY_EMAIL}?token=not-a-token"))
    audit.check(page, "/verify-email")
    page.click("#confirm")
    expect(page.locator("#form-error")).to_be_visible()
    audit.check(page, "/verify-email (invalid link)")
    goto_ready(page, live_app.url(f"{routes.WASNT_ME}?token=not-a-token"))
    audit.check(page, "/wasnt-me")

    page.goto(live_app.url("/no-such-page"))
    expect(page.locator("#not-found-home")).to_be_visible()  # the 404 page has rendered
    audit.check(page, "/no-such-page (404)")
    audit.assert_clean()


def test_signed_out_second_step(page: Page, live_app: LiveApp, override: Override) -> None:
    """/login/verify: the code field, a refused code, and the recovery-code form."""
    audit = Audit()
    username = unique_name("a11y2fa")
    enrolled = enrolled_user(live_app, override, username)
    password_step(page, live_app, username)
    audit.check(page, "/login/verify")
    enter_code(page, wrong_code(enrolled))
    refused(page, "Incorrect code. 4 attempts left.")
    audit.check(page, "/login/verify (refused code)")
    page.click("#switch-mode")
    expect(page.locator("#recovery_code")).to_be_focused()
    audit.check(page, "/login/verify (recovery code)")
    audit.assert_clean()


def test_passkey_states(page: Page, live_app: LiveApp, override: Override) -> None:
    """Passkeys: /account's list and each step of adding one, rename, remove, the refusals,
    /login's cancelled request and /login/verify's "Use a passkey"."""
    audit = Audit()
    username = unique_name("a11ypk")
    create_user(live_app, username)
    authenticator = attach(page)
    login(page, live_app, username)
    goto_ready(page, live_app.url(routes.ACCOUNT))
    expect(page.locator("#no-passkeys")).to_be_visible()
    page.click("#add-passkey")
    expect(page.locator("#passkey_password")).to_be_focused()
    audit.check(page, "/account (add a passkey: password)")
    page.fill("#passkey_password", PASSWORD)
    page.click("#passkey-reauth-password")
    expect(page.locator("#new_passkey_name")).to_be_focused()
    audit.check(page, "/account (add a passkey: name)")
    page.fill("#new_passkey_name", "Laptop")
    page.click("#create-passkey")
    expect(page.locator("#passkeys-notice")).to_be_visible()
    audit.check(page, "/account (passkeys list)")
    page.locator("#passkeys-table button", has_text="Rename").click()
    audit.check(page, "/account (rename a passkey)")
    page.click("#cancel-rename")
    drop_password(live_app, username)
    page.locator("#passkeys-table button", has_text="Remove").click()
    audit.check(page, "/account (remove a passkey: confirmation)")
    page.click("#confirm-remove-passkey")
    expect(page.locator("#passkeys-error")).to_be_visible()
    audit.check(page, "/account (last passkey refused)")

    authenticator.set_user_verified(False)
    signed_out_login(page, live_app)
    page.click("#passkey-sign-in")
    expect(page.locator("#passkey-error")).to_be_visible()
    audit.check(page, "/login (passkey request cancelled)")

    # Another account with a passkey and 2FA; /login's autofill waits (no touch) meanwhile.
    other = unique_name("a11ypk2")
    create_user(live_app, other)
    authenticator.set_user_verified(True)
    authenticator.set_presence(False)
    page.context.clear_cookies()
    login(page, live_app, other)
    authenticator.set_presence(True)
    goto_ready(page, live_app.url(routes.ACCOUNT))
    add_passkey(page, "Phone")
    override(SECRET_KEY=live_app.secret_key)
    enable_mfa(db.engine_for(live_app.database_url), user_id(live_app, other), PASSWORD)
    authenticator.set_presence(False)
    page.context.clear_cookies()
    password_step(page, live_app, other)
    expect(page.locator("#use-passkey")).to_be_enabled()
    audit.check(page, "/login/verify (use a passkey)")
    audit.assert_clean()


def test_signed_in_pages_of_an_ordinary_user(page: Page, live_app: LiveApp) -> None:
    audit = Audit()
    username = unique_name("a11y")
    create_user(live_app, username, email=f"{username}@mail.example")
    login(page, live_app, username)
    audit.check(page, "/admin (ordinary user)")
    goto_ready(page, live_app.url(routes.ACCOUNT))
    expect(page.locator("#sessions-table tbody tr").first).to_be_visible()
    audit.check(page, "/account")
    secret = open_setup(page)
    audit.check(page, "/account (2FA set-up: QR code and code field)")
    activate(page, secret)
    audit.check(page, "/account (2FA on: recovery codes shown)")
    page.click("#mfa-codes-saved")
    expect(page.locator("#recovery-codes")).to_have_count(0)
    audit.check(page, "/account (2FA on)")

    goto_ready(page, live_app.url(routes.NOTES))
    expect(page.locator("#notes-empty")).to_be_visible()
    audit.check(page, "/notes (no notes)")
    page.fill("#note-text", "An accessible note")
    page.click("#note-add")
    expect(page.locator("li.note")).to_have_count(1)
    audit.check(page, "/notes")
    page.click("li.note .note-edit")
    expect(page.locator("#edit-text")).to_be_focused()
    audit.check(page, "/notes (editing)")
    page.click("#note-cancel")
    page.click("li.note .note-delete")
    expect(page.locator("#note-undo")).to_be_visible()
    audit.check(page, "/notes (undo offered)")
    audit.assert_clean()


def test_console_pages(page: Page, live_app: LiveApp, override: Override) -> None:
    audit = Audit()
    admin = unique_name("a11yadm")
    target = unique_name("a11yusr")
    make_admin(live_app, admin)
    create_user(live_app, target, email=f"{target}@mail.example")
    # With 2FA on, the target's page shows its 2FA badge and offers "Reset two-factor".
    override(SECRET_KEY=live_app.secret_key)
    engine = db.engine_for(live_app.database_url)
    with db.session_scope(engine) as session:
        found = accounts.find_by_username(session=session, username=target)
        assert found is not None
        assert found.id is not None
        target_id = found.id
    enable_mfa(engine, target_id, PASSWORD)
    with db.session_scope(engine) as session:
        for text in ("first note", "second note"):
            notes.create_note(session=session, owner_id=target_id, text=text)
    login(page, live_app, admin)
    expect(page.locator("#sign-in-chart")).to_be_visible()
    audit.check(page, "/admin (administrator)")

    goto_ready(page, live_app.url(routes.ADMIN_USERS))
    links = page.locator("#users-table tbody tr .user-link")
    expect(links.first).to_be_visible()
    audit.check(page, "/admin/users (results)")
    page.locator("#user-search").press_sequentially(NO_MATCH, delay=20)
    # The search for the whole text was handled (the server echoes it); then no row is left.
    wait_answered(page, NO_MATCH, f'"search_text_rx_state_":"{NO_MATCH}"', "the search")
    expect(links).to_have_count(0)
    audit.check(page, "/admin/users (no match)")
    page.locator("#user-search").fill("")
    expect(links.first).to_be_visible()
    page.click("#select-all")
    page.click("#bulk-disable")
    expect(page.locator("#reason-input")).to_be_visible()
    audit.check(page, "/admin/users (bulk dialog)")
    page.keyboard.press("Escape")
    expect(page.locator("#reason-input")).to_have_count(0)

    before = hydrations(page)
    page.locator("#users-table tbody tr", has_text=target).locator(".user-link").click()
    wait_hydrated(page, before, "the user's page")
    expect(page.locator("#user-detail-heading")).to_have_text(target)
    audit.check(page, "/admin/users/<id>")
    expect(page.locator("#user-detail-mfa")).to_have_text("On")
    # The console counts the account's notes and never shows their text.
    expect(page.locator("#user-detail-notes")).to_have_text("2")
    expect(page.get_by_text("first note")).to_have_count(0)
    page.click("#user-action-disable")
    expect(page.locator("#reason-input")).to_be_visible()
    audit.check(page, "/admin/users/<id> (reason dialog)")
    page.keyboard.press("Escape")
    expect(page.locator("#reason-input")).to_have_count(0)
    page.click("#user-action-reset-mfa")
    expect(page.locator("#reason-input")).to_be_visible()
    audit.check(page, "/admin/users/<id> (reset 2FA dialog)")

    goto_ready(page, live_app.url(routes.admin_user(MAX_ROW_ID)))
    expect(page.locator("#user-not-found")).to_be_visible()
    audit.check(page, "/admin/users/<id> (no such user)")

    goto_ready(page, live_app.url(routes.ADMIN_AUDIT))
    expect(page.locator("#audit-table tbody tr").first).to_be_visible()
    audit.check(page, "/admin/audit")
    audit.assert_clean()


def test_phone_width(new_context: ContextFactory, live_app: LiveApp) -> None:
    """The phone layout (360 px) passes as well: the header's second row, the wrapped buttons,
    the scroll boxes of the tables (dark only: both schemes are covered at full width)."""
    page = new_page(new_context(viewport=PHONE, color_scheme="dark"))
    audit = Audit()
    admin = unique_name("a11yphn")
    make_admin(live_app, admin)
    goto_ready(page, live_app.url(routes.SIGNUP))
    fill_signup(page, admin, PASSWORD)  # the name is taken
    expect(page.locator("#username-error")).to_be_visible()
    audit.check(page, "/signup (phone, errors)")
    login(page, live_app, admin)
    expect(page.locator("#sign-in-chart")).to_be_visible()
    audit.check(page, "/admin (phone)")
    goto_ready(page, live_app.url(routes.ADMIN_USERS))
    expect(page.locator("#users-table tbody tr").first).to_be_visible()
    audit.check(page, "/admin/users (phone)")
    goto_ready(page, live_app.url(routes.ADMIN_AUDIT))
    expect(page.locator("#audit-table tbody tr").first).to_be_visible()
    audit.check(page, "/admin/audit (phone)")
    goto_ready(page, live_app.url(routes.ACCOUNT))
    audit.check(page, "/account (phone)")
    goto_ready(page, live_app.url(routes.NOTES))
    page.fill("#note-text", "A note on a phone")
    page.click("#note-add")
    expect(page.locator("li.note")).to_have_count(1)
    audit.check(page, "/notes (phone)")
    audit.assert_clean()
