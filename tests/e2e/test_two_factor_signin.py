"""Signing in with two-factor authentication: the /login/verify step, driven through Chromium."""

from __future__ import annotations

import datetime as dt
import re
import time

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select, update

from nfp_app.infra import db
from nfp_app.models import AuthSession, MfaChallenge, utcnow
from nfp_app.state.login import NOTICES
from tests.support.accounts import unique_name
from tests.support.live_app import LiveApp
from tests.support.mfa import Enrolled
from tests.support.overrides import Override
from tests.support.two_factor_ui import (
    VERIFY_URL,
    enrolled_user,
    enter_code,
    password_step,
    refused,
    user_id,
    wrong_code,
)
from tests.support.ui import (
    ContextFactory,
    goto_ready,
    hydrations,
    login_page_ready,
    new_page,
    persistent_cookies,
    session_cookie,
    wait_hydrated,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

THIRTY_DAYS = 30 * 24 * 3600
ADMIN_URL = re.compile(r"/admin/?$")


def _sessions(app: LiveApp, username: str) -> int:
    """How many sessions the account has in the database."""
    account = user_id(app, username)
    with Session(db.engine_for(app.database_url)) as session:
        rows = session.exec(select(AuthSession).where(col(AuthSession.user_id) == account))
        return len(rows.all())


def _signed_in(page: Page, username: str, before: int) -> None:
    """The step let the user in: /admin shows the account, after its own session check."""
    wait_hydrated(page, before, "/admin after the second step")
    expect(page).to_have_url(ADMIN_URL)
    expect(page.locator("#account-username")).to_have_text(username)


def _back_at_login(page: Page, notice: str) -> None:
    """Sent back to the password step, with the notice that says why."""
    expect(page).to_have_url(re.compile(rf"/login/?\?notice={notice}$"))
    login_page_ready(page)
    expect(page.locator("#notice")).to_have_text(NOTICES[notice])
    expect(page.locator("#code")).to_have_count(0)


@pytest.fixture
def two_factor(live_app: LiveApp, override: Override) -> tuple[str, Enrolled]:
    """A fresh account with 2FA on: its name and what its authenticator app holds."""
    username = unique_name("tfa")
    return username, enrolled_user(live_app, override, username)


def test_sign_in_with_a_pasted_code(
    page: Page, live_app: LiveApp, two_factor: tuple[str, Enrolled]
) -> None:
    """The password alone opens no session; the code, pasted, does, and `?next=` is kept."""
    username, enrolled = two_factor
    password_step(page, live_app, username, query="?next=/account")
    code = page.locator("#code")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    expect(code).to_be_focused()
    assert session_cookie(page.context) is None
    assert _sessions(live_app, username) == 0

    # A code copied with a space in the middle, as some apps show it, pasted with the keyboard.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_app.base_url)
    spaced = f"{enrolled.code()[:3]} {enrolled.code()[3:]}"
    page.evaluate("(text) => navigator.clipboard.writeText(text)", spaced)
    page.keyboard.press("Control+V")
    expect(code).to_have_value(spaced)
    before = hydrations(page)
    page.click("#submit")
    wait_hydrated(page, before, "/account after the second step")
    expect(page).to_have_url(re.compile(r"/account/?$"))
    cookie = session_cookie(page.context)
    assert cookie is not None
    assert cookie.get("expires") == -1  # no "Remember me": gone with the browser
    assert _sessions(live_app, username) == 1


def test_remember_me_carries_through(
    page: Page,
    live_app: LiveApp,
    two_factor: tuple[str, Enrolled],
    new_context: ContextFactory,
) -> None:
    """ "Remember me" ticked at the password step gives the 30-day cookie after the code."""
    username, enrolled = two_factor
    password_step(page, live_app, username, remember=True)
    assert session_cookie(page.context) is None
    before = hydrations(page)
    enter_code(page, enrolled.code())
    _signed_in(page, username, before)
    remembered = session_cookie(page.context)
    assert remembered is not None
    assert remembered.get("httpOnly") is True
    assert abs(remembered.get("expires", -1) - time.time() - THIRTY_DAYS) < 300

    # After a browser restart the remembered cookie alone opens /admin.
    restarted = new_page(new_context(persistent_cookies(page.context)))
    goto_ready(restarted, live_app.url("/admin"))
    expect(restarted.locator("#account-username")).to_have_text(username)


def test_a_recovery_code_works_once(
    page: Page,
    live_app: LiveApp,
    two_factor: tuple[str, Enrolled],
    new_context: ContextFactory,
) -> None:
    """ "Use a recovery code instead" and back; the recovery code opens a session only once."""
    username, enrolled = two_factor
    recovery = enrolled.recovery_codes[0]
    password_step(page, live_app, username)
    page.click("#switch-mode")
    expect(page.locator("#recovery_code")).to_be_focused()
    expect(page.locator("#code")).to_have_count(0)
    expect(page.locator("#switch-mode")).to_have_text("Use your authenticator app instead")
    page.click("#switch-mode")
    expect(page.locator("#code")).to_be_focused()
    page.click("#switch-mode")
    before = hydrations(page)
    enter_code(page, recovery.upper(), field="recovery_code")
    _signed_in(page, username, before)

    again = new_page(new_context())
    password_step(again, live_app, username)
    again.click("#switch-mode")
    enter_code(again, recovery, field="recovery_code")
    refused(again, "Incorrect code. 4 attempts left.", field="recovery_code")
    assert session_cookie(again.context) is None
    assert _sessions(live_app, username) == 1


def test_a_replayed_code_is_refused(
    page: Page,
    live_app: LiveApp,
    two_factor: tuple[str, Enrolled],
    new_context: ContextFactory,
) -> None:
    """The code that opened one session cannot open a second one; the next step's code can."""
    username, enrolled = two_factor
    code = enrolled.code()
    password_step(page, live_app, username)
    before = hydrations(page)
    enter_code(page, code)
    _signed_in(page, username, before)

    second = new_page(new_context())
    password_step(second, live_app, username)
    enter_code(second, code)
    refused(second, "Incorrect code. 4 attempts left.")
    assert session_cookie(second.context) is None
    before = hydrations(second)
    enter_code(second, enrolled.code(1))
    _signed_in(second, username, before)
    assert _sessions(live_app, username) == 2


def test_five_wrong_codes_restart_from_the_password(
    page: Page, live_app: LiveApp, two_factor: tuple[str, Enrolled]
) -> None:
    """Four wrong codes count down; the fifth voids the step; the account is then throttled."""
    username, enrolled = two_factor
    password_step(page, live_app, username)
    bad = wrong_code(enrolled)
    for left in (4, 3, 2, 1):
        enter_code(page, bad)
        refused(page, f"Incorrect code. {left} attempt{'s' if left > 1 else ''} left.")
    enter_code(page, bad)
    _back_at_login(page, "verify-failed")

    # The step is gone: going back to it directly lands on the password step again.
    goto_ready(page, live_app.url("/login/verify"))
    _back_at_login(page, "verify-expired")
    # With the password again, even the right code waits: five failures throttle the account.
    password_step(page, live_app, username)
    enter_code(page, enrolled.code())
    expect(page.locator("#form-error")).to_contain_text("Too many attempts, try again in")
    expect(page).to_have_url(VERIFY_URL)
    assert session_cookie(page.context) is None
    assert _sessions(live_app, username) == 0


def test_an_expired_step_goes_back_to_login(
    page: Page, live_app: LiveApp, two_factor: tuple[str, Enrolled]
) -> None:
    """After five minutes the right code no longer counts: back to the password step."""
    username, enrolled = two_factor
    password_step(page, live_app, username)
    with db.session_scope(db.engine_for(live_app.database_url)) as session:
        session.exec(
            update(MfaChallenge)
            .where(col(MfaChallenge.user_id) == user_id(live_app, username))
            .values(expires_at=utcnow() - dt.timedelta(seconds=1))
        )
    enter_code(page, enrolled.code())
    _back_at_login(page, "verify-expired")
    assert _sessions(live_app, username) == 0


def test_a_direct_visit_goes_to_login(page: Page, live_app: LiveApp) -> None:
    """No password step, no form: neither in the served HTML nor after the page loads."""
    served = httpx.get(live_app.url("/login/verify"), timeout=30, follow_redirects=True)
    assert served.status_code == 200
    html = served.text
    assert 'id="verify-check"' in html
    assert 'id="code"' not in html
    assert 'id="verify-form"' not in html
    page.goto(live_app.url("/login/verify"))
    _back_at_login(page, "verify-expired")
