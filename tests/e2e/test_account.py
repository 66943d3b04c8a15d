"""/account in Chromium: profile, email, password, sessions, history and deletion, with the
real mail the app sends and other tabs signed out by the server."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, col, select

from nfp_app.infra import db
from nfp_app.models import AuthEvent, User
from tests.support.accounts import PASSWORD, create_user, make_admin, run_cli, unique_name
from tests.support.live_app import LiveApp
from tests.support.mailbox import MAILBOX
from tests.support.ui import ContextFactory, goto_ready, hydrations, login, new_page, wait_hydrated

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

NEW_PASSWORD = "violet tractor hums beneath 7 moons"
SIGNED_OUT = re.compile(r"/login/?\?notice=signed-out")
# The promise: a tab whose session ends elsewhere shows the sign-in page this fast.
SIGN_OUT_MS = 2_000


def _open_account(page: Page, app: LiveApp) -> None:
    before = hydrations(page)
    page.click("#nav-account")
    wait_hydrated(page, before, "/account")
    expect(page.locator("#profile-username")).to_be_visible()


def _second_browser(new_context: ContextFactory, app: LiveApp, username: str) -> Page:
    other = new_page(new_context())
    login(other, app, username)
    return other


def _bearer(app: LiveApp, username: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(app.url("/token"), data={"username": username, "password": password})


def test_account_page_shows_profile_sessions_and_history(page: Page, live_app: LiveApp) -> None:
    username = unique_name("acct")
    create_user(live_app, username, email=f"{username}@mail.example")
    login(page, live_app, username)
    _open_account(page, live_app)
    expect(page.locator("#profile-username")).to_have_text(username)
    expect(page.locator("#profile-email")).to_have_text(f"{username}@mail.example")
    rows = page.locator("#sessions-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("This device")
    expect(rows.first).to_contain_text("Chrome on Linux")
    expect(page.locator("#events-table tbody tr").first).to_contain_text("Signed in")
    # Password managers find the page here.
    found = httpx.get(live_app.url("/.well-known/change-password"), follow_redirects=False)
    assert found.status_code == 303
    assert found.headers["location"].rstrip("/").endswith("/account")


def test_change_password_signs_out_every_other_session(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    username = unique_name("chpw")
    email = f"{username}@mail.example"
    create_user(live_app, username, email=email)
    old_token = _bearer(live_app, username).json()["access_token"]
    other = _second_browser(new_context, live_app, username)
    login(page, live_app, username)
    _open_account(page, live_app)

    page.fill("#current", "not my password at all")
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("#submit")
    expect(page.locator("#current-error")).to_have_text("The current password is wrong.")

    page.fill("#current", PASSWORD)
    page.fill("#password", NEW_PASSWORD)
    page.fill("#confirm", NEW_PASSWORD)
    page.click("#submit")
    expect(page.locator("#password-notice")).to_contain_text("Your password was changed")
    # The other browser shows the sign-in page by itself, within 2 s.
    expect(other).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(other.locator("#notice")).to_contain_text("You were signed out")
    # This tab stays signed in; the table now lists it alone.
    expect(page.locator("#sessions-table tbody tr")).to_have_count(1)
    goto_ready(page, live_app.url("/account"))
    expect(page.locator("#profile-username")).to_have_text(username)
    # The history names the change and the browser that made it.
    changed = page.locator("#events-table tbody tr", has_text="Password changed")
    expect(changed).to_contain_text("Chrome on Linux")

    assert _bearer(live_app, username).status_code == 401
    assert _bearer(live_app, username, NEW_PASSWORD).status_code == 200
    me = httpx.get(live_app.url("/users/me/"), headers={"Authorization": f"Bearer {old_token}"})
    assert me.status_code == 401
    MAILBOX.wait_for(email, "Your nfp_app password was changed")


def test_revoke_one_session_then_all_others(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    username = unique_name("rvk")
    create_user(live_app, username)
    first = _second_browser(new_context, live_app, username)
    second = _second_browser(new_context, live_app, username)
    login(page, live_app, username)
    _open_account(page, live_app)
    rows = page.locator("#sessions-table tbody tr")
    expect(rows).to_have_count(3)
    # The newest session is this one, listed first; revoke the one after it (`second`).
    rows.nth(1).get_by_role("button", name=re.compile("Revoke")).click()
    expect(second).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(rows).to_have_count(2)
    page.click("#revoke-others")
    expect(first).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("This device")


def _user_id(app: LiveApp, username: str) -> int:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        assert user.id is not None
        return user.id


@pytest.mark.parametrize("ended_by", ["admin-disable", "cli-disable", "cli-revoke-sessions"])
def test_sessions_ended_by_an_admin_or_the_cli_sign_out_open_tabs(
    page: Page, live_app: LiveApp, ended_by: str
) -> None:
    """No click or reload in the tab: the server pushes the sign-out."""
    username = unique_name("end")
    create_user(live_app, username)
    login(page, live_app, username)
    if ended_by == "admin-disable":
        admin = unique_name("adm")
        make_admin(live_app, admin)
        token = _bearer(live_app, admin).json()["access_token"]
        answer = httpx.patch(
            live_app.url(f"/users/{_user_id(live_app, username)}"),
            json={"is_active": False},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200, answer.text
    else:
        run_cli(live_app, ended_by.removeprefix("cli-"), username, "--reason", "e2e")
    expect(page).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(page.locator("#notice")).to_contain_text("You were signed out")


def test_change_email_tells_the_old_address(page: Page, live_app: LiveApp) -> None:
    username = unique_name("mail")
    old, new = f"{username}@old.example", f"{username}@new.example"
    create_user(live_app, username, email=old)
    login(page, live_app, username)
    _open_account(page, live_app)
    page.fill("#new_email", new)
    page.fill("#email_password", "wrong password here")
    page.click("#change-email")
    expect(page.locator("#email-error")).to_contain_text("The current password is wrong.")
    page.fill("#email_password", PASSWORD)
    page.click("#change-email")
    expect(page.locator("#profile-email")).to_have_text(new)
    notice = MAILBOX.wait_for(old, "The email of your nfp_app account is changing")
    assert new in notice.text()


def test_delete_account(page: Page, live_app: LiveApp) -> None:
    username = unique_name("del")
    create_user(live_app, username)
    login(page, live_app, username)
    _open_account(page, live_app)
    page.fill("#delete_password", PASSWORD)
    page.fill("#delete_confirmation", username + "x")
    page.click("#delete")
    expect(page.locator("#delete-error")).to_contain_text("Type your username exactly")
    page.fill("#delete_password", PASSWORD)
    page.fill("#delete_confirmation", username)
    page.click("#delete")
    expect(page).to_have_url(re.compile(r"/login/?\?notice=account-deleted"))
    assert _bearer(live_app, username).status_code == 401
    with Session(db.engine_for(live_app.database_url)) as session:
        kept = session.exec(select(AuthEvent).where(col(AuthEvent.username) == username)).all()
    assert any(row.event == "user_delete" for row in kept)  # audit rows stay


def test_new_device_mail_and_this_wasnt_me(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    username = unique_name("dev")
    email = f"{username}@mail.example"
    create_user(live_app, username, email=email)
    login(page, live_app, username)
    alert = MAILBOX.wait_for(email, "New sign-in to your nfp_app account")
    assert "Chrome on Linux" in alert.text()
    link = alert.link("/wasnt-me?token=")
    # A second sign-in from the same browser is no new device.
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login/?$"))
    login(page, live_app, username)
    # The owner opens the link elsewhere (a phone, say) and confirms.
    phone = new_page(new_context())
    goto_ready(phone, link)
    phone.click("#confirm")
    expect(phone).to_have_url(re.compile(r"/login/?\?notice=all-signed-out"))
    expect(page).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    MAILBOX.wait_for(email, "Reset your nfp_app password")
    assert len(MAILBOX.messages(email)) == 2  # the alert and the reset link; no second alert
    # The link worked once.
    goto_ready(phone, link)
    phone.click("#confirm")
    expect(phone.locator("#form-error")).to_contain_text("This link no longer works")
