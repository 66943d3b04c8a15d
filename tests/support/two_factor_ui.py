"""The /login/verify step in Chromium: an account with 2FA, the password step, a code typed."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from nfp_app.infra import db
from nfp_app.services import accounts
from tests.support.accounts import PASSWORD, create_user
from tests.support.live_app import LiveApp
from tests.support.mfa import Enrolled, enable_mfa
from tests.support.overrides import Override
from tests.support.ui import fill_login, goto_ready, hydrations, next_frames, wait_hydrated

VERIFY_URL = re.compile(r"/login/verify/?$")


def user_id(app: LiveApp, username: str) -> int:
    """The id of an account in the live app's database."""
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = accounts.find_by_username(session=session, username=username)
        assert user is not None
        assert user.id is not None
        return user.id


def enrolled_user(app: LiveApp, override: Override, username: str) -> Enrolled:
    """A new account with 2FA on, sealed with the live app's key."""
    create_user(app, username)
    override(SECRET_KEY=app.secret_key)
    return enable_mfa(db.engine_for(app.database_url), user_id(app, username), PASSWORD)


def password_step(
    page: Page, app: LiveApp, username: str, *, remember: bool = False, query: str = ""
) -> None:
    """Sign in with the password and wait until the second step's form is ready."""
    goto_ready(page, app.url(f"/login{query}"))
    before = hydrations(page)
    fill_login(page, username, PASSWORD, remember=remember)
    wait_hydrated(page, before, "/login/verify")
    expect(page).to_have_url(VERIFY_URL)
    expect(page.locator("#code")).to_be_visible()
    expect(page.locator("#submit")).to_be_enabled()


def enter_code(page: Page, code: str, *, field: str = "code") -> None:
    """Type a code into the step's field and press "Verify"."""
    page.fill(f"#{field}", code)
    page.click("#submit")


def refused(page: Page, message: str, *, field: str = "code") -> None:
    """The step refused the code: its message under the field, which is empty and focused."""
    expect(page.locator(f"#{field}-error")).to_have_text(message)
    expect(page.locator(f"#{field}")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"#{field}")).to_have_value("")
    expect(page.locator(f"#{field}")).to_be_focused()
    next_frames(page)


def wrong_code(enrolled: Enrolled) -> str:
    """Six digits that no step within the allowed drift accepts."""
    near = {enrolled.code(offset) for offset in (-1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)
