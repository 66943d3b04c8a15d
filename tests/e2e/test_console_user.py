"""/admin/users/<id> in Chromium: the account's page and every action behind its reason
dialog, each checked in the audit log, with the affected user's open tabs signed out at once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from nfp_app import routes
from nfp_app.infra import db
from nfp_app.models import AuthEvent, User
from nfp_app.services.account_changes import LastAdminError
from tests.support.accounts import PASSWORD, create_user, make_admin, unique_name
from tests.support.live_app import LiveApp
from tests.support.mailbox import MAILBOX
from tests.support.ui import (
    ContextFactory,
    fill_login,
    goto_ready,
    login,
    login_page_ready,
    new_page,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SIGNED_OUT = re.compile(r"/login/?\?notice=signed-out")
# The promise: a disabled or demoted user's open tab loses access this fast.
SIGN_OUT_MS = 2_000


def _user(app: LiveApp, username: str) -> User | None:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is not None:
            session.expunge(user)
        return user


def _id(app: LiveApp, username: str) -> int:
    user = _user(app, username)
    assert user is not None
    assert user.id is not None
    return user.id


def _audit(app: LiveApp, username: str, event: str) -> list[AuthEvent]:
    with db.session_scope(db.engine_for(app.database_url)) as session:
        rows = session.exec(
            select(AuthEvent)
            .where(AuthEvent.username == username, AuthEvent.event == event)
            .order_by(col(AuthEvent.id))
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def _open(page: Page, app: LiveApp, username: str) -> None:
    goto_ready(page, app.url(routes.admin_user(_id(app, username))))
    expect(page.locator("#user-detail-heading")).to_have_text(username)


def _as_admin(page: Page, app: LiveApp, target: str) -> str:
    admin = unique_name("adm")
    make_admin(app, admin)
    login(page, app, admin)
    _open(page, app, target)
    return admin


def _open_dialog(page: Page, action: str, reason: str) -> None:
    page.click(f"#user-action-{action}")
    expect(page.locator("#reason-input")).to_be_visible()
    page.fill("#reason-input", reason)


def _confirm(page: Page, action: str, reason: str, done: str) -> None:
    _open_dialog(page, action, reason)
    page.click("#confirm-action")
    expect(page.locator("#action-message")).to_contain_text(done)
    expect(page.locator("#reason-dialog")).to_have_count(0)


def _audited(app: LiveApp, username: str, event: str, reason: str, admin: str) -> None:
    [entry] = _audit(app, username, event)
    assert entry.outcome == "success"
    assert f"reason: {reason}" in entry.detail
    assert entry.detail.endswith(f"by {admin}")


def _signed_in_tab(new_context: ContextFactory, app: LiveApp, username: str, path: str) -> Page:
    tab = new_page(new_context())
    login(tab, app, username)
    goto_ready(tab, app.url(path))
    return tab


def test_page_shows_profile_sessions_and_events(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    name = unique_name("view")
    create_user(live_app, name, email=f"{name}@mail.example")
    _signed_in_tab(new_context, live_app, name, routes.ACCOUNT)
    _as_admin(page, live_app, name)
    expect(page.locator("#user-detail-email")).to_have_text(f"{name}@mail.example")
    status = page.locator("#user-detail-status")
    for badge in ("Active", "User", "Email not confirmed"):
        expect(status).to_contain_text(badge)
    sessions = page.locator("#user-sessions tbody tr")
    expect(sessions).to_have_count(1)
    expect(sessions.first).to_contain_text("Chrome on Linux")
    events = page.locator("#user-events tbody tr")
    expect(events.first).to_contain_text("login")
    expect(events.last).to_contain_text("signup")
    # The whole history is one click away, on the audit page filtered to this account.
    page.locator("#user-all-events").click()
    expect(page).to_have_url(re.compile(rf"/admin/audit\?user_id={_id(live_app, name)}$"))
    expect(page.locator("#audit-table tbody tr").first).to_contain_text(name)
    # Nothing about the account reaches an ordinary user who opens the same address.
    other = unique_name("nosy")
    create_user(live_app, other)
    nosy = _signed_in_tab(new_context, live_app, other, routes.admin_user(_id(live_app, name)))
    expect(nosy.locator("#nav-username")).to_have_text(other)
    expect(nosy.locator("#user-detail")).to_have_count(0)
    assert name not in nosy.content()


def test_disable_signs_the_open_tab_out_then_enable(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    name = unique_name("dis")
    create_user(live_app, name)
    tab = _signed_in_tab(new_context, live_app, name, routes.ACCOUNT)
    admin = _as_admin(page, live_app, name)
    _open_dialog(page, "disable", "  spam\nwave  ")
    page.click("#confirm-action")
    expect(tab).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(page.locator("#action-message")).to_contain_text(f"{name} was disabled.")
    expect(page.locator("#user-detail-status")).to_contain_text("Disabled")
    expect(page.locator("#user-no-sessions")).to_be_visible()
    _audited(live_app, name, "user_disable", "spam wave", admin)
    assert _user(live_app, name).is_active is False  # type: ignore[union-attr]

    _confirm(page, "enable", "appeal accepted", f"{name} was enabled.")
    expect(page.locator("#user-detail-status")).to_contain_text("Active")
    _audited(live_app, name, "user_enable", "appeal accepted", admin)
    expect(page.locator("#user-events tbody tr").first).to_contain_text("user_enable")
    login(tab, live_app, name)


def test_promote_then_demote_signs_the_console_tab_out(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    name = unique_name("pro")
    create_user(live_app, name)
    admin = _as_admin(page, live_app, name)
    _confirm(page, "promote", "new team lead", f"{name} is now an administrator.")
    expect(page.locator("#user-detail-status")).to_contain_text("Administrator")
    _audited(live_app, name, "user_promote", "new team lead", admin)

    console = _signed_in_tab(new_context, live_app, name, routes.admin_user(_id(live_app, admin)))
    expect(console.locator("#user-detail-heading")).to_have_text(admin)
    _open(page, live_app, name)
    _open_dialog(page, "demote", "left the team")
    page.click("#confirm-action")
    expect(console).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(page.locator("#action-message")).to_contain_text("no longer an administrator")
    expect(page.locator("#user-detail-status")).to_contain_text("User")
    _audited(live_app, name, "user_demote", "left the team", admin)
    assert _user(live_app, name).is_admin is False  # type: ignore[union-attr]


def test_revoke_one_session_then_all(
    page: Page, live_app: LiveApp, new_context: ContextFactory
) -> None:
    name = unique_name("rev")
    create_user(live_app, name)
    first = _signed_in_tab(new_context, live_app, name, routes.ACCOUNT)
    second = _signed_in_tab(new_context, live_app, name, routes.ACCOUNT)
    admin = _as_admin(page, live_app, name)
    rows = page.locator("#user-sessions tbody tr")
    expect(rows).to_have_count(2)
    # Newest first: the first row is `second`'s session.
    rows.first.get_by_role("button", name=re.compile("Revoke")).click()
    page.fill("#reason-input", "lost phone")
    page.click("#confirm-action")
    expect(second).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(page.locator("#action-message")).to_contain_text("The session was ended.")
    expect(rows).to_have_count(1)
    [entry] = _audit(live_app, name, "session_revoke")
    assert re.fullmatch(rf"session \d+ reason: lost phone by {admin}", entry.detail)
    expect(first.locator("#profile-username")).to_have_text(name)

    _confirm(page, "revoke-all", "password leaked", f"Every session of {name} was ended.")
    expect(first).to_have_url(SIGNED_OUT, timeout=SIGN_OUT_MS)
    expect(page.locator("#user-no-sessions")).to_be_visible()
    _audited(live_app, name, "sessions_revoke", "password leaked", admin)


def test_send_password_reset(page: Page, live_app: LiveApp) -> None:
    name = unique_name("rst")
    email = f"{name}@mail.example"
    create_user(live_app, name, email=email)
    admin = _as_admin(page, live_app, name)
    _confirm(page, "reset-password", "locked out", f"A password-reset link was sent to {name}.")
    mail = MAILBOX.wait_for(email, "Reset your nfp_app password")
    assert mail.link("/reset-password?token=").startswith(live_app.base_url)
    _audited(live_app, name, "password_reset_request", "locked out", admin)
    # An account without an address offers no reset link.
    nomail = unique_name("nom")
    create_user(live_app, nomail)
    _open(page, live_app, nomail)
    expect(page.locator("#user-action-reset-password")).to_be_disabled()


def test_delete(page: Page, live_app: LiveApp) -> None:
    name = unique_name("del")
    create_user(live_app, name)
    admin = _as_admin(page, live_app, name)
    _open_dialog(page, "delete", "GDPR request")
    page.click("#confirm-action")
    expect(page).to_have_url(re.compile(r"/admin/users/?$"))
    assert _user(live_app, name) is None
    _audited(live_app, name, "user_delete", "GDPR request", admin)


@contextmanager
def _only_admin(app: LiveApp, admin: str) -> Iterator[None]:
    """Every other administrator of the shared database is a user while this runs."""
    with db.session_scope(db.engine_for(app.database_url)) as session:
        others = session.exec(
            select(User).where(col(User.is_admin).is_(True), User.username != admin)
        ).all()
        ids = [user.id for user in others]
        for user in others:
            user.is_admin = False
    try:
        yield
    finally:
        with db.session_scope(db.engine_for(app.database_url)) as session:
            for user in session.exec(select(User).where(col(User.id).in_(ids))).all():
                user.is_admin = True


def test_last_admin_cannot_disable_demote_or_delete_themselves(
    page: Page, live_app: LiveApp
) -> None:
    admin = unique_name("last")
    make_admin(live_app, admin)
    with _only_admin(live_app, admin):
        login(page, live_app, admin)
        _open(page, live_app, admin)
        # A reason of blanks passes the browser's "required", not the server.
        _open_dialog(page, "disable", "   ")
        page.click("#confirm-action")
        expect(page.locator("#dialog-refusal")).to_contain_text("Give a reason")
        page.click("#cancel-action")
        for action in ("disable", "demote", "delete"):
            _open_dialog(page, action, "leaving")
            expect(page.locator("#dialog-refusal")).to_have_count(0)
            page.click("#confirm-action")
            expect(page.locator("#dialog-refusal")).to_have_text(LastAdminError().message)
            page.click("#cancel-action")
            expect(page.locator("#reason-dialog")).to_have_count(0)
        user = _user(live_app, admin)
        assert user is not None
        assert (user.is_active, user.is_admin) == (True, True)
        for event in ("user_disable", "user_demote", "user_delete"):
            assert _audit(live_app, admin, event) == []
        expect(page.locator("#user-detail-status")).to_contain_text("Administrator")
        expect(page.locator("#action-message")).to_have_count(0)


def test_signed_out_visitor_signs_in_and_comes_back(page: Page, live_app: LiveApp) -> None:
    admin = unique_name("back")
    make_admin(live_app, admin)
    path = routes.admin_user(_id(live_app, admin))
    page.goto(live_app.url(path))
    login_page_ready(page)
    assert unquote(page.url).endswith(f"/login?next={path}"), page.url
    fill_login(page, admin, PASSWORD)
    expect(page.locator("#user-detail-heading")).to_have_text(admin)


def test_unknown_id_shows_no_such_user(page: Page, live_app: LiveApp) -> None:
    admin = unique_name("unk")
    make_admin(live_app, admin)
    login(page, live_app, admin)
    for user_id in ("987654321", "abc", "99999999999999999999", "-1", "0", "1.5"):
        goto_ready(page, live_app.url(f"/admin/users/{user_id}"))
        expect(page.locator("#user-not-found")).to_contain_text("No such user.")
        expect(page.locator("#user-detail")).to_have_count(0)
