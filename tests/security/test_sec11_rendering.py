"""SEC-11: user-controlled text always renders as text, never as HTML or script."""

from __future__ import annotations

import re
import secrets

import pytest
import reflex as rx
from playwright.sync_api import Page, expect

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.pages.admin import admin_page
from nfp_app.pages.home import home_page
from nfp_app.pages.login import login_page
from nfp_app.pages.signup import signup_page
from nfp_app.security import policy
from nfp_app.services import accounts
from tests.support.accounts import PASSWORD, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.ui import goto_ready, login, next_frames

pytestmark = [pytest.mark.security]

# Usernames are allowlisted (SEC-5); the email check accepts any text without spaces or a second @.
PAYLOADS = (
    "<img/src=x/onerror=alert(1)>{tag}@x.co",
    '"><script>alert(2)</script><b>{tag}</b>@x.co',
)
# What the compiled JSX of a component that inserts markup contains.
RAW_HTML = ("dangerouslySetInnerHTML", 'jsx("script"')
PAGES = (home_page, login_page, signup_page, admin_page)


def test_sec11_only_emails_can_carry_markup() -> None:
    """The payloads are valid emails, while usernames refuse markup outright."""
    for payload in PAYLOADS:
        email = payload.format(tag="t")
        assert policy.check_email(email) == email
    for name in ("<b>x</b>", "<img/src=x>", "a&lt;b"):
        with pytest.raises(policy.PolicyError):
            policy.check_username(name)


def test_sec11_no_component_renders_raw_html() -> None:
    """No page inserts markup: every component compiles to elements and text nodes."""
    assert any(marker in str(rx.box(rx.html("<b>x</b>"))) for marker in RAW_HTML)  # the probe
    for page in PAGES:
        compiled = str(page())
        for marker in RAW_HTML:
            assert marker not in compiled, f"{page.__name__} compiles to {marker}"


def _create(app: LiveApp, username: str, email: str) -> None:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        accounts.create_user(session=session, username=username, password=PASSWORD, email=email)


def _assert_inert(page: Page) -> None:
    assert page.locator("img[src='x']").count() == 0, "an injected <img> was rendered"
    assert page.locator("script:has-text('alert(2)')").count() == 0, "an injected <script>"
    assert page.locator("b", has_text=re.compile("^t[0-9a-f]+$")).count() == 0


@pytest.mark.e2e
@pytest.mark.postgres
def test_sec11_markup_in_emails_is_shown_literally(
    page: Page, live_app: LiveApp, dialogs: list[str]
) -> None:
    """In the account card and the console (user list, account page) the payloads are inert
    text, shown as typed. The console overview on /admin shows no user-supplied text."""
    admin = unique_name("xssboss")
    make_admin(live_app, admin)
    users = {}
    for payload in PAYLOADS:
        tag = f"t{secrets.token_hex(4)}"
        username, email = unique_name("xss"), payload.format(tag=tag)
        _create(live_app, username, email)
        users[username] = email

    for username, email in users.items():
        login(page, live_app, username)
        expect(page.locator("#account-email")).to_have_text(email)
        _assert_inert(page)
        page.click("#logout")
        expect(page.locator("#username")).to_be_visible()

    login(page, live_app, admin)
    expect(page.locator("#counter-users-value")).not_to_have_text("0")
    _assert_inert(page)
    assert page.evaluate("document.querySelectorAll('main img').length") == 0
    for username, email in users.items():
        goto_ready(page, live_app.url(routes.ADMIN_USERS))
        page.locator("#user-search").fill(username)
        row = page.locator("#users-table tbody tr", has_text=username)
        expect(page.locator("#users-table tbody tr")).to_have_count(1)
        expect(row).to_contain_text(email)
        _assert_inert(page)
        row.get_by_role("link", name=username).click()
        expect(page.locator("#user-detail-email")).to_have_text(email)
        _assert_inert(page)
    assert page.evaluate("document.querySelectorAll('main img').length") == 0
    # The pages have been drawn; an alert from markup would have opened by then.
    next_frames(page)
    assert dialogs == []
